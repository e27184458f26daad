using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using QwenFunctions.Configuration;

namespace QwenFunctions.Http;

/// <summary>Reads JSON request bodies under the size cap: 413 before anything goes upstream, 400 with a param on bad JSON.</summary>
public sealed class RequestBodyReader(IOptionsMonitor<ProxyOptions> options)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString,
    };

    /// <param name="json">Serializer options for the DTO (e.g. snake_case for OpenAI bodies); default <see cref="Json"/>.</param>
    public async Task<T> ReadJsonAsync<T>(HttpRequest request, CancellationToken cancellationToken, JsonSerializerOptions? json = null)
        where T : class
    {
        var limit = options.CurrentValue.MaxJsonBodyBytes;
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            throw ApiException.BadRequest("The request body is empty; send a JSON object.", code: "invalid_json");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), json ?? Json)
                ?? throw ApiException.BadRequest("The request body must be a JSON object.", code: "invalid_json");
        }
        catch (JsonException ex)
        {
            var param = ex.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : null;
            throw ApiException.BadRequest($"The request body is not valid JSON{(param is null ? "" : $" at '{param}'")}: {ex.Message}", param, "invalid_json");
        }
    }

    private static ApiException TooLarge(long limit) =>
        new(HttpStatusCode.RequestEntityTooLarge, "invalid_request_error", "request_too_large",
            $"The request body exceeds the {limit / 1024} KiB limit (Proxy:MaxJsonBodyBytes).");
}
