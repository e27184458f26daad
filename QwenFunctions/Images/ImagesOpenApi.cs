using System.Text.Json.Serialization;

namespace QwenFunctions.Images;

/// <summary>ImageApi reads these bodies as JSON nodes; these are their shapes for the OpenAPI document.</summary>
public static class ImagesOpenApi
{
    public const string StreamExample =
        ": keep-alive\n\n" +
        "data: {\"created\":1771318618,\"model\":\"qwen3-max\",\"size\":\"1:1\",\"chatId\":\"30ae…\",\"parentId\":\"9f8f…\",\"data\":[{\"url\":\"https://…\",\"width\":1024,\"height\":1024}]}\n\n" +
        "data: [DONE]\n\n";

    /// <param name="Size">Aspect ratio, e.g. 1:1 or 16:9.</param>
    /// <param name="ChatId">Continue this upstream conversation (e.g. to refine an image).</param>
    /// <param name="Stream">Keep the connection alive with SSE comments while the image is made (10–60 s).</param>
    public sealed record NativeImageRequest(
        string Prompt, string? Model = null, string? Size = null, int? N = null, string? ChatId = null, string? ParentId = null, bool? Stream = null);

    /// <param name="Size">WIDTHxHEIGHT (mapped to the nearest aspect ratio) or auto.</param>
    /// <param name="ResponseFormat">url (default) or b64_json.</param>
    public sealed record OpenAIImageRequest(
        string Prompt, string? Model = null, int? N = null, string? Size = null, [property: JsonPropertyName("response_format")] string? ResponseFormat = null);
}
