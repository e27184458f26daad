using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using QwenFunctions.Http;

namespace QwenFunctions.Files;

/// <summary>The seed's getstsToken body: {"filename","filesize","filetype"} (the newer file_* names are accepted too).</summary>
public sealed record StsRequest(string FileName, long FileSize, string FileType)
{
    private const int MaxBodyBytes = 16 * 1024;

    public static async Task<StsRequest> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        JsonObject? body;
        try
        {
            var buffer = await ChunkedBuffer.ReadAsync(request.Body, MaxBodyBytes, cancellationToken);
            using var stream = buffer.OpenRead();
            body = await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken) as JsonObject;
        }
        catch (Exception ex) when (ex is JsonException or UploadTooLargeException)
        {
            body = null;
        }

        var name = Str(body, "filename") ?? Str(body, "file_name");
        var size = Long(body, "filesize") ?? Long(body, "file_size");
        var type = Str(body, "filetype") ?? Str(body, "file_type");
        if (name is null || size is null or <= 0 || type is null)
        {
            throw ApiException.BadRequest("Invalid file data: filename, filesize and filetype are required.", "filename", "invalid_file_data");
        }

        return new StsRequest(name, size.Value, type);
    }

    private static string? Str(JsonObject? o, string name) =>
        o is not null && o.TryGetPropertyValue(name, out var v) && v is JsonValue value && value.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    private static long? Long(JsonObject? o, string name)
    {
        if (o is null || !o.TryGetPropertyValue(name, out var v) || v is not JsonValue value)
        {
            return null;
        }

        return value.TryGetValue<long>(out var n) ? n : value.TryGetValue<string>(out var s) && long.TryParse(s, out var parsed) ? parsed : null;
    }
}
