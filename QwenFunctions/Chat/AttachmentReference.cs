namespace QwenFunctions.Chat;

/// <summary>What an image or file reference in a message points at.</summary>
public static class AttachmentReference
{
    /// <summary>Neither a URL nor a data: URI: an id returned by POST /api/files/upload, owned by one account.</summary>
    public static bool IsUploadedFileId(string reference)
    {
        var trimmed = reference.Trim();
        return !trimmed.StartsWith("data:", StringComparison.OrdinalIgnoreCase)
            && !(Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps));
    }
}
