using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace QwenFunctions.Http;

/// <summary>Reads a capped JSON request body into a DTO; every failure is a 400/413 that names the field.</summary>
public static class JsonBodyReader
{
    public static async Task<T> ReadAsync<T>(HttpRequest request, long maxBytes, JsonSerializerOptions options, CancellationToken cancellationToken)
        where T : class
    {
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            throw ApiException.BadRequest("The request body is empty; send a JSON object.");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), options)
                ?? throw ApiException.BadRequest("The request body must be a JSON object.");
        }
        catch (JsonException ex)
        {
            var param = ParamOf(ex.Path);
            var where = param is null ? "" : $" (at '{param}')";
            throw ApiException.BadRequest($"The request body is not valid JSON for this endpoint{where}: {ex.Message.Split(" Path:")[0]}", param);
        }
    }

    /// <summary>"$.messages[0].content" → "messages[0].content"; "$" → null.</summary>
    private static string? ParamOf(string? path) =>
        path is null || path.Length <= 2 ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    private static ApiException TooLarge(long maxBytes) =>
        new(HttpStatusCode.RequestEntityTooLarge, "invalid_request_error", "request_too_large",
            $"The request body is larger than the {maxBytes}-byte limit.");
}
