using QwenFunctions.Chat.Tools;

namespace QwenFunctions.Chat;

/// <summary>A client message reduced to what the upstream can use: role, text, image and file inputs.</summary>
public sealed record ChatMessage(string Role, string Text, IReadOnlyList<string> ImageUrls, IReadOnlyList<string> FileRefs)
{
    public const string System = "system";
    public const string User = "user";
    public const string Assistant = "assistant";
    public const string Tool = "tool";

    /// <summary>Assistant messages: the tool calls it made.</summary>
    public IReadOnlyList<ToolCall> ToolCalls { get; init; } = [];

    /// <summary>Tool messages: the id of the call this result answers.</summary>
    public string? ToolCallId { get; init; }

    /// <summary>Tool messages: the tool's name, when the surface sends it.</summary>
    public string? ToolName { get; init; }
}
