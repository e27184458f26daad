using System.Text.Json.Serialization;

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

/// <param name="Created">Unix seconds.</param>
public sealed record NativeImageResult(long Created, string? Model, string? Size, string? ChatId, string? ParentId, IReadOnlyList<NativeImage> Data);

public sealed record NativeImage(string Url, int? Width, int? Height);

/// <param name="Created">Unix seconds.</param>
public sealed record ImagesResponse(long Created, IReadOnlyList<ImageData> Data);

/// <summary>url, or b64_json with response_format b64_json.</summary>
public sealed record ImageData(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Url = null,
    [property: JsonPropertyName("b64_json"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? B64Json = null);
