using System.Text.Json.Nodes;

namespace QwenFunctions.Upstream;

/// <summary>One new user message for an existing upstream chat (the v2 protocol keeps history server-side).</summary>
public sealed record QwenCompletionRequest(string ChatId, string Model, string Content)
{
    /// <summary>The previous answer's response_id, null on the first turn.</summary>
    public string? ParentId { get; init; }

    /// <summary>t2t, t2i, t2v, search…</summary>
    public string ChatType { get; init; } = "t2t";

    public bool Thinking { get; init; }

    public bool Stream { get; init; } = true;

    /// <summary>Aspect ratio for t2i/t2v (1:1, 3:4, 4:3, 16:9, 9:16).</summary>
    public string? Size { get; init; }

    /// <summary>Content parts (text/image) instead of plain text, when the message carries images.</summary>
    public JsonArray? ContentParts { get; init; }

    /// <summary>`files[]` entries (§6.10.4) for uploaded images and documents.</summary>
    public IReadOnlyList<JsonObject> Files { get; init; } = [];
}
