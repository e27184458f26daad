using System.Text.Json.Nodes;

namespace QwenFunctions.Chat.Tools;

/// <summary>How a tool takes its input.</summary>
public enum ToolKind
{
    /// <summary>Arguments are a JSON object described by a JSON schema.</summary>
    Function,

    /// <summary>Freeform: the call carries one raw input string (OpenAI Responses <c>custom</c> tools such as apply_patch).</summary>
    Custom,
}

/// <summary>A tool the client offers the model, whatever surface it came from.</summary>
/// <param name="Name">The function name the model must call it by.</param>
/// <param name="Description">What the tool does (optional).</param>
/// <param name="Parameters">JSON schema of the arguments (function tools; null: no arguments).</param>
/// <param name="Kind">Function or freeform.</param>
/// <param name="InputFormat">Freeform tools: a description of the raw input's format (e.g. its grammar), shown to the model.</param>
public sealed record ToolDefinition(string Name, string? Description, JsonObject? Parameters, ToolKind Kind = ToolKind.Function, string? InputFormat = null)
{
    public static ToolDefinition Function(string name, string? description = null, JsonObject? parameters = null) => new(name, description, parameters);

    public static ToolDefinition Custom(string name, string? description = null, string? inputFormat = null) =>
        new(name, description, null, ToolKind.Custom, inputFormat);
}
