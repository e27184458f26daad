using System.Text.Json.Nodes;

namespace QwenFunctions.Files;

/// <summary>How an upload is reported: the seed's shape on /api/files/upload, OpenAI's file object on /api/v1/files.</summary>
public static class FileAnswers
{
    public static JsonObject Seed(UploadedFile file) => new()
    {
        ["success"] = true,
        ["file"] = new JsonObject
        {
            ["name"] = file.Name,
            ["url"] = file.Url,
            ["fileId"] = file.FileId,
            ["size"] = file.Size,
            ["type"] = file.ContentType,
        },
    };

    public static JsonObject OpenAI(UploadedFile file, string? purpose, DateTimeOffset createdAt) => new()
    {
        ["id"] = file.FileId,
        ["object"] = "file",
        ["bytes"] = file.Size,
        ["created_at"] = createdAt.ToUnixTimeSeconds(),
        ["filename"] = file.Name,
        ["purpose"] = purpose is { Length: > 0 } ? purpose : "user_data",
        ["status"] = "processed",
        ["status_details"] = null,
    };
}
