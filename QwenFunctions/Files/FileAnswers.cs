using System.Text.Json;
using System.Text.Json.Serialization;

namespace QwenFunctions.Files;

/// <summary>How an upload is reported: the seed's shape on /api/files/upload, OpenAI's file object on /api/v1/files.</summary>
public static class FileAnswers
{
    public static string Seed(UploadedFile file) => JsonSerializer.Serialize(
        new SeedUploadAnswer(true, new SeedUploadedFile(file.Name, file.Url, file.FileId, file.Size, file.ContentType)), JsonSerializerOptions.Web);

    public static string OpenAI(UploadedFile file, string? purpose, DateTimeOffset createdAt) => JsonSerializer.Serialize(
        new OpenAIFile(file.FileId, "file", file.Size, createdAt.ToUnixTimeSeconds(), file.Name, purpose is { Length: > 0 } ? purpose : "user_data", "processed", null),
        JsonSerializerOptions.Web);
}

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
