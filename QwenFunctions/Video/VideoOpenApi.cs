namespace QwenFunctions.Video;

public static class VideoOpenApi
{
    /// <summary>The create body, as JSON or form fields (VideoCreateRequest reads both).</summary>
    /// <param name="Model">Upstream model; sora-* names (OpenAI clients) mean the default.</param>
    /// <param name="Size">Native: aspect ratio (16:9, 9:16, 1:1…). OpenAI: WIDTHxHEIGHT, mapped to the nearest ratio.</param>
    public sealed record VideoCreateBody(string Prompt, string? Model = null, string? Size = null);
}
