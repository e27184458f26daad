using System.Text.Json;

namespace QwenFunctions.Chat;

/// <summary>A tool call an answer made, or one replayed from a client's history. <see cref="Arguments"/> is JSON text
/// (for a freeform tool, its raw input).</summary>
public sealed record ChatToolCall(string Id, string Name, string Arguments);

/// <summary>A tool the client offers. <see cref="Type"/> is <c>function</c> (JSON arguments) or <c>custom</c> (freeform input).</summary>
public sealed record ChatToolDefinition(string Name, string? Description, JsonElement? Parameters, string Type = ChatToolDefinition.Function)
{
    public const string Function = "function";
    public const string Custom = "custom";
}

public enum ChatToolChoiceMode
{
    /// <summary>The model decides (the default when tools are offered).</summary>
    Auto,

    /// <summary>Tools are not described upstream.</summary>
    None,

    /// <summary>The answer must call some tool.</summary>
    Required,

    /// <summary>The answer must call <see cref="ChatToolChoice.FunctionName"/>.</summary>
    Function,
}

public sealed record ChatToolChoice(ChatToolChoiceMode Mode, string? FunctionName = null)
{
    public static readonly ChatToolChoice Auto = new(ChatToolChoiceMode.Auto);
}

/// <summary>The tools of a turn, surface-neutral. Empty <see cref="Definitions"/>: a plain chat turn.</summary>
public sealed record ChatToolOptions(IReadOnlyList<ChatToolDefinition> Definitions, ChatToolChoice Choice, bool ParallelCalls = true)
{
    public static readonly ChatToolOptions None = new([], ChatToolChoice.Auto);

    public bool Offered => Definitions.Count > 0 && Choice.Mode != ChatToolChoiceMode.None;
}
