using System.Text.Json.Serialization;

namespace QwenFunctions.Files;

/// <summary>The upload forms, and the answers FileAnswers builds as JSON nodes, as types for the OpenAPI document (WireContractTests holds real answers to them).</summary>
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

    public sealed record SeedUploadAnswer(bool Success, SeedUploadedFile File);

    /// <param name="Url">Signed URL of the stored file; usable in a chat message's image part.</param>
    /// <param name="Type">Content type.</param>
    public sealed record SeedUploadedFile(string Name, string Url, string FileId, long Size, string Type);

    /// <param name="Object">file</param>
    /// <param name="CreatedAt">Unix seconds.</param>
    /// <param name="Purpose">As sent; user_data when omitted.</param>
    public sealed record OpenAIFile(
        string Id, string Object, long Bytes, [property: JsonPropertyName("created_at")] long CreatedAt, string Filename, string Purpose, string Status,
        [property: JsonPropertyName("status_details")] string? StatusDetails);
}
