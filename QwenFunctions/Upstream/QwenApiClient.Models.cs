using System.Text.Json;

namespace QwenFunctions.Upstream;

/// <summary>A model as the upstream lists it (docs/upstream.md §6.1).</summary>
public sealed record QwenModel(string Id, string Name, long Created, IReadOnlyList<string> ChatTypes, bool Thinking, bool Vision);

public sealed partial class QwenApiClient
{
    /// <summary>GET /api/models (works without a token); items are parsed leniently.</summary>
    public async Task<IReadOnlyList<QwenModel>> GetModelsAsync(Accounts.QwenAccount? account, CancellationToken cancellationToken)
    {
        using var doc = await SendJsonAsync(HttpMethod.Get, "api/models", account, null, null, cancellationToken);
        var root = doc.RootElement;
        var list = root.TryGetProperty("data", out var data) ? data : root;
        if (list.ValueKind == JsonValueKind.Object && list.TryGetProperty("data", out var inner))
        {
            list = inner; // the /api/v2/models/ shape
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var models = new List<QwenModel>();
        foreach (var item in list.EnumerateArray())
        {
            if (!item.TryGetProperty("id", out var idEl) || idEl.GetString() is not { Length: > 0 } id)
            {
                continue;
            }

            var info = item.TryGetProperty("info", out var i) ? i : default;
            var meta = info.ValueKind == JsonValueKind.Object && info.TryGetProperty("meta", out var m) ? m : default;
            if (info.ValueKind == JsonValueKind.Object && info.TryGetProperty("is_active", out var active) && active.ValueKind == JsonValueKind.False)
            {
                continue;
            }

            var caps = meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty("capabilities", out var c) ? c : default;
            var chatTypes = meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty("chat_type", out var ct) && ct.ValueKind == JsonValueKind.Array
                ? ct.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToArray()
                : ["t2t"];
            var created = info.ValueKind == JsonValueKind.Object && info.TryGetProperty("created_at", out var ca) && ca.TryGetInt64(out var secs) ? secs : 0;
            models.Add(new QwenModel(
                id,
                item.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : id,
                created,
                chatTypes,
                Flag(caps, "thinking"),
                Flag(caps, "vision")));
        }

        return models;
    }

    private static bool Flag(JsonElement caps, string name) =>
        caps.ValueKind == JsonValueKind.Object && caps.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
}
