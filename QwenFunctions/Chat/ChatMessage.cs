namespace QwenFunctions.Chat;

/// <summary>
/// One message of the conversation a client sent, in the pipeline's neutral shape: role, text, image and file inputs,
/// and for agent histories the assistant's tool calls and the tool results that answer them.
/// </summary>
public sealed record ChatMessage(string Role, string Text, IReadOnlyList<string> ImageUrls, IReadOnlyList<string> FileRefs)
{
    public const string System = "system";
    public const string User = "user";
    public const string Assistant = "assistant";
    public const string Tool = "tool";

    /// <summary>Calls an assistant message made (its <see cref="Text"/> is what it said besides them).</summary>
    public IReadOnlyList<ChatToolCall> ToolCalls { get; init; } = [];

    /// <summary>On a tool message: the call it answers.</summary>
    public string? ToolCallId { get; init; }

    /// <summary>On a tool message: the function that produced it, when the client says.</summary>
    public string? ToolName { get; init; }

    /// <summary>On a tool message: the client marked the result as an error (Anthropic's is_error).</summary>
    public bool IsError { get; init; }
}
