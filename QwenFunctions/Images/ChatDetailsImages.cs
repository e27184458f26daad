using System.Text.Json;

namespace QwenFunctions.Images;

/// <summary>
/// Finds the image URLs of one answer in GET /api/v2/chats/{id} (docs/upstream.md §6.7): the assistant message matching
/// the response id, its content_list entries of phase image_gen, else URLs in its content.
/// </summary>
public static class ChatDetailsImages
{
    public static IReadOnlyList<string> Extract(JsonElement root, string? responseId)
    {
        var data = root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : root;
        var chat = data.TryGetProperty("chat", out var c) && c.ValueKind == JsonValueKind.Object ? c : data;
        var candidates = new List<JsonElement>();
        if (chat.TryGetProperty("messages", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            candidates.AddRange(list.EnumerateArray());
        }

        if (chat.TryGetProperty("history", out var history) && history.TryGetProperty("messages", out var map) && map.ValueKind == JsonValueKind.Object)
        {
            candidates.AddRange(map.EnumerateObject().Select(p => p.Value));
        }

        var assistants = candidates.Where(m => m.ValueKind == JsonValueKind.Object && Str(m, "role") == "assistant").ToList();
        var match = assistants.FirstOrDefault(m => responseId is not null && (Str(m, "id") == responseId || ContentList(m).Any(e => Str(e, "response_id") == responseId)));
        if (match.ValueKind != JsonValueKind.Object)
        {
            match = assistants.LastOrDefault();
        }

        if (match.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        var fromList = ContentList(match)
            .Where(e => Str(e, "phase") is "image_gen" or null)
            .Select(e => Str(e, "content"))
            .OfType<string>()
            .Where(IsUrl)
            .ToList();
        if (fromList.Count > 0)
        {
            return fromList.Distinct().ToList();
        }

        return (Str(match, "content") ?? "")
            .Split(['\n', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(IsUrl)
            .Distinct()
            .ToList();
    }

    private static IEnumerable<JsonElement> ContentList(JsonElement message) =>
        message.TryGetProperty("content_list", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray() : [];

    private static bool IsUrl(string s) => s.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || s.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
