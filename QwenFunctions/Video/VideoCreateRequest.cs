using Microsoft.AspNetCore.Http;
using QwenFunctions.Http;

namespace QwenFunctions.Video;

/// <summary>A create request from JSON or from a form (the OpenAI SDKs send videos.create as multipart/form-data).</summary>
public sealed record VideoCreateRequest(string? Prompt, string? Model, string? Size, string? IdempotencyKey)
{
    public static async Task<VideoCreateRequest> ReadAsync(HttpRequest request, RequestBodyReader reader, CancellationToken cancellationToken)
    {
        // Keys are scoped to the caller: two clients that happen to pick the same key must not share a job.
        var key = request.Headers["Idempotency-Key"].FirstOrDefault() is { Length: > 0 } raw
            ? $"{HttpPipeline.CallerId(request.HttpContext)}:{raw}"
            : null;
        if (request.HasFormContentType)
        {
            var form = await reader.ReadFormAsync(request, cancellationToken);
            return new VideoCreateRequest(form.GetValueOrDefault("prompt"), form.GetValueOrDefault("model"), form.GetValueOrDefault("size"), key);
        }

        var body = await reader.ReadJsonAsync<JsonBody>(request, cancellationToken);
        return new VideoCreateRequest(body.Prompt, body.Model, body.Size, key);
    }

    private sealed record JsonBody(string? Prompt, string? Model, string? Size);
}
