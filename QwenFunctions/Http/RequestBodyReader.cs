using System.Buffers;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using QwenFunctions.Configuration;

namespace QwenFunctions.Http;

/// <summary>Reads JSON and form request bodies under the size cap: 413 before anything goes upstream, 400 with a param on bad JSON.</summary>
public sealed class RequestBodyReader(IOptionsMonitor<ProxyOptions> options)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString,
    };

    // OpenAI's video form has four fields; anything near this is not a client talking to us in good faith.
    private const int MaxFormFields = 32;

    private const int ChunkBytes = 16 * 1024;

    /// <param name="json">Serializer options for the DTO (e.g. snake_case for OpenAI bodies); default <see cref="Json"/>.</param>
    public async Task<T> ReadJsonAsync<T>(HttpRequest request, CancellationToken cancellationToken, JsonSerializerOptions? json = null)
        where T : class
    {
        using var buffer = await ReadBoundedAsync(request, cancellationToken);
        if (buffer.Length == 0)
        {
            throw ApiException.BadRequest("The request body is empty; send a JSON object.", code: "invalid_json");
        }

        T body;
        try
        {
            body = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), json ?? Json)
                ?? throw ApiException.BadRequest("The request body must be a JSON object.", code: "invalid_json");
        }
        catch (JsonException ex)
        {
            var param = ex.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : null;
            throw ApiException.BadRequest($"The request body is not valid JSON{(param is null ? "" : $" at '{param}'")}: {ex.Message}", param, "invalid_json");
        }

        if (JsonShape.FindNullElement(body, json ?? Json) is { } nullAt)
        {
            throw ApiException.BadRequest($"'{nullAt}' is null; it must be an object.", nullAt, "invalid_type");
        }

        return body;
    }

    /// <summary>
    /// The text fields of a urlencoded or multipart form (first value of each; file parts are skipped), under the same
    /// size cap as JSON bodies and a small field count, so a malformed or hostile form is a 400/413, never a 500.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType);
        var multipart = mediaType?.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true;
        var boundary = multipart ? HeaderUtilities.RemoveQuotes(mediaType!.Boundary).Value : null;
        if (multipart && string.IsNullOrEmpty(boundary))
        {
            throw ApiException.BadRequest("The multipart/form-data content type has no boundary.", code: "invalid_form");
        }

        using var buffer = await ReadBoundedAsync(request, cancellationToken);
        buffer.Position = 0;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            if (multipart)
            {
                await ReadMultipartFieldsAsync(new MultipartReader(boundary!, buffer), fields, cancellationToken);
            }
            else
            {
                await ReadUrlEncodedFieldsAsync(new FormReader(buffer), fields, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            // The body is in memory already, so an I/O error here means it ended early or was not a form.
            throw ApiException.BadRequest("The form body is malformed or truncated.", code: "invalid_form");
        }

        return fields;
    }

    private static async Task ReadMultipartFieldsAsync(MultipartReader reader, Dictionary<string, string> fields, CancellationToken cancellationToken)
    {
        var count = 0;
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            CountField(ref count);
            var disposition = section.GetContentDispositionHeader();
            if (disposition is null || !disposition.IsFormDisposition() || disposition.Name.Value is not { Length: > 0 } name)
            {
                await section.Body.CopyToAsync(Stream.Null, cancellationToken);
                continue;
            }

            using var text = new StreamReader(section.Body, System.Text.Encoding.UTF8);
            var value = await text.ReadToEndAsync(cancellationToken);
            fields.TryAdd(name, value);
        }
    }

    private static async Task ReadUrlEncodedFieldsAsync(FormReader reader, Dictionary<string, string> fields, CancellationToken cancellationToken)
    {
        var count = 0;
        while (await reader.ReadNextPairAsync(cancellationToken) is { } pair)
        {
            CountField(ref count);
            fields.TryAdd(pair.Key, pair.Value);
        }
    }

    private static void CountField(ref int count)
    {
        if (++count > MaxFormFields)
        {
            throw ApiException.BadRequest($"The form has more than {MaxFormFields} fields.", code: "too_many_form_fields");
        }
    }

    private async Task<MemoryStream> ReadBoundedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var limit = options.CurrentValue.MaxJsonBodyBytes;
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        // Sized by Content-Length when the client sent one (up to one chunk: a large declared length is not trusted
        // before the bytes arrive); the read chunk is pooled, as a chat body is usually far smaller than it.
        var buffer = new MemoryStream(request.ContentLength is > 0 and var length ? (int)Math.Min(length, ChunkBytes) : 0);
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk.AsMemory(0, ChunkBytes), cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    await buffer.DisposeAsync();
                    throw TooLarge(limit);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer;
    }

    private static ApiException TooLarge(long limit) =>
        new(HttpStatusCode.RequestEntityTooLarge, "invalid_request_error", "request_too_large",
            $"The request body exceeds the {limit / 1024} KiB limit (Proxy:MaxJsonBodyBytes).");
}
