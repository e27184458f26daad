namespace QwenFunctions.Images;

/// <summary>What to draw. <see cref="ChatId"/>/<see cref="ParentId"/> continue an existing upstream chat (seed /api/chat).</summary>
public sealed record ImageGenerationRequest(string Prompt)
{
    public string? Model { get; init; }

    /// <summary>An aspect ratio (1:1, 3:4, 4:3, 16:9, 9:16) or WIDTHxHEIGHT; null for the default.</summary>
    public string? Size { get; init; }

    public int N { get; init; } = 1;

    public string? ChatId { get; init; }

    public string? ParentId { get; init; }
}

public sealed record GeneratedImage(string Url, int? Width, int? Height);

/// <summary>Every image the upstream produced (at least N), the chat they live in and the last response id (the next parent).</summary>
public sealed record ImageGenerationResult(IReadOnlyList<GeneratedImage> Images, string ChatId, string? ParentId, string Model, string Size, string AccountId);
