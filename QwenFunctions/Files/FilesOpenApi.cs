namespace QwenFunctions.Files;

/// <summary>The request bodies the upload routes read by hand (multipart forms, the seed's STS request), as types for the OpenAPI document.</summary>
public static class FilesOpenApi
{
    /// <param name="File">The file (Files:MaxUploadBytes, 25 MB by default).</param>
    public sealed record SeedUploadForm(byte[] File);

    /// <param name="File">The file (Files:MaxUploadBytes, 25 MB by default).</param>
    /// <param name="Purpose">e.g. user_data, vision.</param>
    public sealed record OpenAIUploadForm(byte[] File, string? Purpose = null);

    /// <summary>The seed's getstsToken body; the newer file_name/file_size/file_type names are accepted too.</summary>
    /// <param name="Filesize">Bytes; more than 0.</param>
    /// <param name="Filetype">e.g. image, file, video.</param>
    public sealed record StsTokenRequest(string Filename, long Filesize, string Filetype);
}
