using System.Text.Json.Nodes;

namespace QwenFunctions.Files;

/// <summary>A file stored upstream, owned by <see cref="AccountId"/>.</summary>
public sealed record UploadedFile(string FileId, string Name, string Url, long Size, string ContentType, string AccountId)
{
    public FileKind Kind => FileKinds.KindOf(ContentType, Name);

    /// <summary>The message's `files[]` entry (qwen-upstream.md §6.10.4).</summary>
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
}
