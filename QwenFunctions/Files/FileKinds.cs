using Microsoft.AspNetCore.StaticFiles;

namespace QwenFunctions.Files;

public enum FileKind
{
    Image,
    Audio,
    Video,
    Document,
    File,
}

/// <summary>Content types, the simplified STS `filetype`, and which uploads need an upstream parse.</summary>
public static class FileKinds
{
    private static readonly FileExtensionContentTypeProvider Extensions = new();
    private static readonly HashSet<string> DocumentExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".pdf", ".doc", ".docx", ".txt", ".md", ".csv", ".json", ".rtf", ".xls", ".xlsx", ".ppt", ".pptx", ".html", ".xml",
    };

    /// <summary>The declared type unless it is missing or generic, then the one the extension implies.</summary>
    public static string ResolveContentType(string? declared, string fileName)
    {
        var type = declared?.Split(';')[0].Trim().ToLowerInvariant();
        if (type is { Length: > 0 } and not "application/octet-stream")
        {
            return type;
        }

        return Extensions.TryGetContentType(fileName, out var guessed) ? guessed : "application/octet-stream";
    }

    public static FileKind KindOf(string contentType, string fileName) => contentType switch
    {
        _ when contentType.StartsWith("image/", StringComparison.Ordinal) => FileKind.Image,
        _ when contentType.StartsWith("audio/", StringComparison.Ordinal) => FileKind.Audio,
        _ when contentType.StartsWith("video/", StringComparison.Ordinal) => FileKind.Video,
        _ when contentType.StartsWith("text/", StringComparison.Ordinal) || DocumentExtensions.Contains(Path.GetExtension(fileName)) => FileKind.Document,
        "application/pdf" or "application/json" or "application/msword" or "application/rtf" => FileKind.Document,
        _ when contentType.Contains("officedocument", StringComparison.Ordinal) || contentType.Contains("ms-", StringComparison.Ordinal) => FileKind.Document,
        _ => FileKind.File,
    };

    /// <summary>The seed's STS `filetype`: image, video, audio, document or file.</summary>
    public static string StsFileType(FileKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>Documents, audio and video are parsed upstream before a chat can use them; images are not.</summary>
    public static bool NeedsParse(FileKind kind) => kind is not FileKind.Image;

    /// <summary>
    /// A bare type/subtype as HTTP carries it ("image/png"). "image/", "image/png x" or a type with parameters is not:
    /// it would pass a wildcard of the allow-list and then fail at the storage PUT, after the STS grant was spent.
    /// </summary>
    public static bool IsWellFormed(string contentType) =>
        System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.Parameters.Count == 0
        && string.Equals(parsed.MediaType, contentType, StringComparison.OrdinalIgnoreCase);

    public static bool IsAllowed(string contentType, IEnumerable<string> allowed) => IsWellFormed(contentType) && allowed.Any(pattern =>
        pattern.EndsWith("/*", StringComparison.Ordinal)
            ? contentType.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase)
            : string.Equals(pattern, contentType, StringComparison.OrdinalIgnoreCase));

    public static string ExtensionFor(string contentType) => contentType switch
    {
        "image/png" => ".png",
        "image/jpeg" => ".jpg",
        "image/gif" => ".gif",
        "image/webp" => ".webp",
        "image/bmp" => ".bmp",
        _ => ".bin",
    };
}
