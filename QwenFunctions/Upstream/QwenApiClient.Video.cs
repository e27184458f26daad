using System.Text.Json;
using QwenFunctions.Accounts;

namespace QwenFunctions.Upstream;

/// <summary>A video task as the upstream reports it (docs/upstream.md §6.6).</summary>
/// <param name="Status">`running`, `success`, or anything else (a failure).</param>
/// <param name="VideoUrl">The signed mp4 URL once `success`.</param>
/// <param name="Message">The upstream's own words, if any (failures).</param>
/// <param name="RemainingSeconds">The v2 `remaining_time`, when it is a number.</param>
public sealed record QwenVideoTaskStatus(string Status, string? VideoUrl, string? Message, double? RemainingSeconds);

public sealed partial class QwenApiClient
{
    /// <summary>Task status: the v2 path first (newest captures), the v1 path when v2 does not answer usefully.</summary>
    /// <exception cref="QwenUpstreamException">NotFound when neither path knows the task; the upstream's error otherwise.</exception>
    public async Task<QwenVideoTaskStatus> GetVideoTaskStatusAsync(QwenAccount account, string taskId, CancellationToken cancellationToken)
    {
        var escaped = Uri.EscapeDataString(taskId);
        try
        {
            using var v2 = await SendJsonAsync(HttpMethod.Get, $"api/v2/task/status/{escaped}", account, null, null, cancellationToken);
            return ReadVideoTaskStatus(v2.RootElement);
        }
        catch (QwenUpstreamException v2Error) when (v2Error.Kind is UpstreamErrorKind.NotFound or UpstreamErrorKind.BadRequest or UpstreamErrorKind.Transient)
        {
            // Older deployments have no v2 path (plain 404) or answer it badly; v1 is the fallback, not a retry.
            try
            {
                using var v1 = await SendJsonAsync(HttpMethod.Get, $"api/v1/tasks/status/{escaped}", account, null, null, cancellationToken);
                return ReadVideoTaskStatus(v1.RootElement);
            }
            catch (QwenUpstreamException v1Error) when (v1Error.Kind is UpstreamErrorKind.NotFound or UpstreamErrorKind.BadRequest && v2Error.Kind is not UpstreamErrorKind.NotFound)
            {
                // v1 is simply absent; the v2 failure is the one that tells what happened.
                throw v2Error;
            }
        }
    }

    /// <summary>The task id of a t2v creation answer: `data.messages[0].extra.wanx.task_id`, else any `task_id` in the payload.</summary>
    public static string? ReadVideoTaskId(JsonElement root)
    {
        if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            && data.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array && messages.GetArrayLength() > 0
            && messages[0].TryGetProperty("extra", out var extra) && extra.ValueKind == JsonValueKind.Object
            && extra.TryGetProperty("wanx", out var wanx) && wanx.ValueKind == JsonValueKind.Object
            && wanx.TryGetProperty("task_id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } taskId)
        {
            return taskId;
        }

        return FindTaskId(root, depth: 0);
    }

    /// <summary>
    /// The video task of a t2v chat from its details (GET /api/v2/chats/{id}, §6.7): the first `task_id` of an
    /// assistant message, in `chat.messages` or `chat.history.messages`. Null when no message carries one (yet).
    /// </summary>
    public static string? ReadVideoTaskIdFromChat(JsonElement root)
    {
        var data = root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : root;
        if (!data.TryGetProperty("chat", out var chat) || chat.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var messages = new List<JsonElement>();
        if (chat.TryGetProperty("messages", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            messages.AddRange(list.EnumerateArray());
        }

        if (chat.TryGetProperty("history", out var history) && history.ValueKind == JsonValueKind.Object
            && history.TryGetProperty("messages", out var byId) && byId.ValueKind == JsonValueKind.Object)
        {
            messages.AddRange(byId.EnumerateObject().Select(p => p.Value));
        }

        return messages
            .Where(m => m.ValueKind == JsonValueKind.Object && Text(m, "role") == "assistant")
            .Select(m => FindTaskId(m, depth: 0))
            .FirstOrDefault(id => id is not null);
    }

    internal static QwenVideoTaskStatus ReadVideoTaskStatus(JsonElement root)
    {
        // v2 wraps the flat v1 object in {"success":true,"data":{…}}.
        var body = root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object ? data : root;
        var status = Text(body, "task_status") ?? Text(body, "status") ?? "";
        var content = Text(body, "content");
        double? remaining = body.TryGetProperty("remaining_time", out var r) ? r.ValueKind switch
        {
            JsonValueKind.Number => r.GetDouble(),
            JsonValueKind.String when double.TryParse(r.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var seconds) => seconds,
            _ => null,
        } : null;
        return new QwenVideoTaskStatus(status, string.IsNullOrEmpty(content) ? null : content, Text(body, "message"), remaining);
    }

    private static string? FindTaskId(JsonElement element, int depth)
    {
        if (depth > 8)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.NameEquals("task_id") && property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { Length: > 0 } found)
                {
                    return found;
                }

                if (FindTaskId(property.Value, depth + 1) is { } nested)
                {
                    return nested;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                if (FindTaskId(item, depth + 1) is { } nested)
                {
                    return nested;
                }
            }
        }

        return null;
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
