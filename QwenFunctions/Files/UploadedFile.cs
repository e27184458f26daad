using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace QwenFunctions.Files;

/// <summary>A file stored upstream, owned by <see cref="AccountId"/>.</summary>
public sealed record UploadedFile(string FileId, string Name, string Url, long Size, string ContentType, string AccountId)
{
    public FileKind Kind => FileKinds.KindOf(ContentType, Name);

    /// <summary>The message's `files[]` entry (docs/upstream.md §6.10.4).</summary>
    public JsonObject ToUpstreamEntry()
    {
        var (type, fileClass, showType) = Kind switch
        {
            FileKind.Image => ("image", "vision", "image"),
            FileKind.Audio => ("audio", "audio", "audio"),
            FileKind.Video => ("video", "video", "video"),
            _ => ("file", "document", "file"),
        };
        return new JsonObject
        {
            ["type"] = type,
            ["id"] = FileId,
            ["name"] = Name,
            ["file_type"] = ContentType,
            ["showType"] = showType,
            ["file_class"] = fileClass,
            ["status"] = "uploaded",
            ["size"] = Size,
            ["url"] = Url,
        };
    }

    /// <summary>
    /// The details as the shared state keeps them, so that any instance can attach the file. The URL loses its query:
    /// an OSS URL is pre-signed there (signature, credential and STS security token, docs/upstream.md §6.10.1), which
    /// is a credential the state must not hold, and it expires after about 300 s, long before the binding does.
    /// </summary>
    public string ToStored() => JsonSerializer.Serialize(new Stored(AccountId, Name, WithoutQuery(Url), Size, ContentType));

    /// <summary>The file read back from <see cref="ToStored"/>; null when the text is not such a record.</summary>
    public static UploadedFile? FromStored(string fileId, string? stored)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Stored>(stored) is { AccountId.Length: > 0 } s
                ? new UploadedFile(fileId, s.Name ?? "", s.Url ?? "", s.Size, s.ContentType ?? "application/octet-stream", s.AccountId)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static string WithoutQuery(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Path) : url.Split('?', '#')[0];

    private sealed record Stored(
        [property: JsonPropertyName("a")] string AccountId,
        [property: JsonPropertyName("n")] string? Name,
        [property: JsonPropertyName("u")] string? Url,
        [property: JsonPropertyName("s")] long Size,
        [property: JsonPropertyName("t")] string? ContentType);
}
