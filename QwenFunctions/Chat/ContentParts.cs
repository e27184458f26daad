using System.Text.Json;
using QwenFunctions.Http;

namespace QwenFunctions.Chat;

/// <summary>Message content as clients send it: a string, or an array of parts (OpenAI and seed part shapes).</summary>
public static class ContentParts
{
    public static (string Text, IReadOnlyList<string> ImageUrls, IReadOnlyList<string> FileRefs) Parse(JsonElement? content, string param)
    {
        if (content is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return ("", [], []);
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return (value.GetString() ?? "", [], []);
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw ApiException.BadRequest("Message content must be a string or an array of content parts.", param);
        }

        var texts = new List<string>();
        var images = new List<string>();
        var files = new List<string>();
        var index = 0;
        foreach (var part in value.EnumerateArray())
        {
            var partParam = $"{param}[{index++}]";
            if (part.ValueKind == JsonValueKind.String)
            {
                texts.Add(part.GetString() ?? "");
                continue;
            }

            var type = part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            switch (type)
            {
                case "text" or "input_text" or "output_text":
                    texts.Add(Str(part, "text") ?? "");
                    break;
                case "refusal":
                    // SDKs replay assistant turns verbatim, refusals included: they are part of the transcript.
                    texts.Add(Str(part, "refusal") ?? "");
                    break;
                case "image_url":
                    images.Add(ImageUrl(part) ?? throw ApiException.BadRequest("An image_url part needs image_url.url.", partParam));
                    break;
                case "image" or "input_image":
                    images.Add(Str(part, "image") ?? Str(part, "image_url") ?? Str(part, "file_id") ?? throw ApiException.BadRequest("An image part needs an image URL.", partParam));
                    break;
                case "file" or "input_file":
                    files.Add(FileRef(part) ?? throw ApiException.BadRequest("A file part needs a file id, URL or data: URI.", partParam));
                    break;
                default:
                    throw ApiException.BadRequest($"Content part type '{type ?? "(none)"}' is not supported; use text, image_url or file parts.", partParam);
            }
        }

        return (string.Join("\n", texts), images, files);
    }

    // Seed: {type:"file", file:"<url or id>"}; OpenAI chat: {type:"file", file:{file_id | file_data | url}};
    // OpenAI Responses: {type:"input_file", file_id | file_data | file_url}.
    private static string? FileRef(JsonElement part) =>
        part.TryGetProperty("file", out var holder) ? holder.ValueKind switch
        {
            JsonValueKind.String => holder.GetString(),
            JsonValueKind.Object => Str(holder, "file_id") ?? Str(holder, "file_data") ?? Str(holder, "url"),
            _ => null,
        } : Str(part, "file_id") ?? Str(part, "file_data") ?? Str(part, "file_url");

    private static string? ImageUrl(JsonElement part) =>
        part.TryGetProperty("image_url", out var holder) ? holder.ValueKind switch
        {
            JsonValueKind.String => holder.GetString(),
            JsonValueKind.Object => Str(holder, "url"),
            _ => null,
        } : null;

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
