using QwenFunctions.Chat.Tools;

namespace QwenFunctions.Chat;

/// <summary>
/// What a surface read from its request body, in the pipeline's neutral shape: the conversation, the model, how to
/// continue, tools, and whether the client wants a stream. <see cref="ChatPrompt"/> turns it into the one upstream message.
/// </summary>
public sealed record ChatTurn
{
    /// <summary>The model name as the client wrote it (null or blank: the default model).</summary>
    public string? RequestedModel { get; init; }

    /// <summary>The messages the client sent; with <see cref="ChatId"/> only the newest user message goes upstream.</summary>
    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    /// <summary>An upstream chat to continue; null creates a new chat.</summary>
    public string? ChatId { get; init; }

    /// <summary>The previous answer's response id, when continuing.</summary>
    public string? ParentId { get; init; }

    /// <summary>Explicit thinking switch from the request; null leaves it to the model name.</summary>
    public bool? Thinking { get; init; }

    /// <summary>Answer as a stream of events rather than one body.</summary>
    public bool Stream { get; init; }

    public ToolSet Tools { get; init; } = ToolSet.Empty;

    /// <summary>The request field that carries the history, named by errors about it (Responses: <c>input</c>).</summary>
    public string HistoryParam { get; init; } = "messages";
}
