namespace QwenFunctions.Chat;

/// <summary>One user turn to send upstream, already reduced to the single message the v2 protocol takes.</summary>
public sealed record ChatTurn
{
    /// <summary>The model name as the client wrote it (null: the default model).</summary>
    public string? RequestedModel { get; init; }

    /// <summary>The text of the one upstream user message (history already folded in for stateless clients).</summary>
    public required string Prompt { get; init; }

    /// <summary>Image inputs (URLs or data: URLs) for the vision resolver.</summary>
    public IReadOnlyList<string> ImageUrls { get; init; } = [];

    /// <summary>Document inputs: uploaded file ids, URLs or data: URIs.</summary>
    public IReadOnlyList<string> FileRefs { get; init; } = [];

    /// <summary>An upstream chat to continue; null creates a new chat.</summary>
    public string? ChatId { get; init; }

    /// <summary>The previous answer's response id, when continuing.</summary>
    public string? ParentId { get; init; }

    /// <summary>Explicit thinking switch from the request; null leaves it to the model name.</summary>
    public bool? Thinking { get; init; }
}
