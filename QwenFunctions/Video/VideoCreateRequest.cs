using System.Text.Json;
using Microsoft.AspNetCore.Http;
using QwenFunctions.Http;

namespace QwenFunctions.Video;

/// <summary>A create request from JSON or (as the OpenAI SDKs send it) multipart/form-data.</summary>
public sealed record VideoCreateRequest(string? Prompt, string? Model, string? Size, string? IdempotencyKey)
{
    public static async Task<VideoCreateRequest> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw new ApiException(System.Net.HttpStatusCode.RequestEntityTooLarge, "invalid_request_error", "request_too_large",
                $"The request body is larger than {maxBytes} bytes.");
        }

        var key = request.Headers["Idempotency-Key"].FirstOrDefault();
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            return new VideoCreateRequest(form["prompt"].FirstOrDefault(), form["model"].FirstOrDefault(), form["size"].FirstOrDefault(), key);
        }

        JsonDocument document;
        try
        {
            using var bounded = new MemoryStream();
            await CopyBoundedAsync(request.Body, bounded, maxBytes, cancellationToken);
            bounded.Position = 0;
            document = await JsonDocument.ParseAsync(bounded, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            throw ApiException.BadRequest("The request body is not valid JSON.", null, "invalid_json");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw ApiException.BadRequest("The request body must be a JSON object.", null, "invalid_json");
            }

            return new VideoCreateRequest(Text(root, "prompt"), Text(root, "model"), Text(root, "size"), key);
        }
    }

    private static async Task CopyBoundedAsync(Stream source, Stream target, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                throw new ApiException(System.Net.HttpStatusCode.RequestEntityTooLarge, "invalid_request_error", "request_too_large",
                    $"The request body is larger than {maxBytes} bytes.");
            }

            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    private static string? Text(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw ApiException.BadRequest($"{name} must be a string.", name, "invalid_type");
    }
}
