using System.Text.Json;
using System.Text.Json.Nodes;
using QwenFunctions.Accounts;

namespace QwenFunctions.Upstream;

/// <summary>Upload-related calls (docs/upstream.md §6.10) and chat details (§6.7).</summary>
public sealed partial class QwenApiClient
{
    /// <summary>Asks for an STS grant on the v2 path, falling back to v1 when v2 is refused as unknown or malformed.</summary>
    public async Task<QwenStsGrant> GetStsTokenAsync(QwenAccount account, string fileName, long fileSize, string fileType, CancellationToken cancellationToken)
    {
        using var doc = await GetStsTokenRawAsync(account, fileName, fileSize, fileType, cancellationToken);
        return QwenStsGrant.Parse(doc.RootElement)
            ?? throw new QwenUpstreamException(UpstreamErrorKind.Transient, "The STS answer lacks credentials or the file slot.");
    }

    /// <summary>The STS answer as the upstream sent it (the seed's pass-through route).</summary>
    public async Task<JsonDocument> GetStsTokenRawAsync(QwenAccount account, string fileName, long fileSize, string fileType, CancellationToken cancellationToken)
    {
        // Older deployments read filename/filesize/filetype, the 2026-09 capture file_name/file_size/file_type; send both.
        var v2Body = new JsonObject
        {
            ["filename"] = fileName, ["filesize"] = fileSize, ["filetype"] = fileType,
            ["file_name"] = fileName, ["file_size"] = fileSize, ["file_type"] = fileType,
        };
        try
        {
            return await SendJsonAsync(HttpMethod.Post, "api/v2/files/getstsToken", account, v2Body, null, cancellationToken);
        }
        catch (QwenUpstreamException ex) when (ex.Kind is UpstreamErrorKind.NotFound or UpstreamErrorKind.BadRequest)
        {
            Files.Log.StsFallback(logger, account.Id, ex.Kind.ToString());
            var v1Body = new JsonObject { ["filename"] = fileName, ["filesize"] = fileSize, ["filetype"] = fileType };
            return await SendJsonAsync(HttpMethod.Post, "api/v1/files/getstsToken", account, v1Body, null, cancellationToken);
        }
    }

    /// <summary>Starts the upstream parse of a document (images need none).</summary>
    public async Task StartParseAsync(QwenAccount account, string fileId, CancellationToken cancellationToken)
    {
        using var _ = await SendJsonAsync(HttpMethod.Post, "api/v2/files/parse", account, new JsonObject { ["file_id"] = fileId }, null, cancellationToken);
    }

    /// <summary>The parse status of one file: "running", "success", "failed" (anything unknown is reported as is).</summary>
    public async Task<string> GetParseStatusAsync(QwenAccount account, string fileId, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["file_id_list"] = new JsonArray(fileId) };
        using var doc = await SendJsonAsync(HttpMethod.Post, "api/v2/files/parse/status", account, body, null, cancellationToken);
        var root = doc.RootElement;
        var data = root.TryGetProperty("data", out var d) ? d : root;
        if (data.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in data.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String)
                {
                    return s.GetString()!;
                }
            }
        }

        return data.ValueKind == JsonValueKind.Object && data.TryGetProperty("status", out var st) && st.ValueKind == JsonValueKind.String
            ? st.GetString()!
            : "running";
    }

    /// <summary>GET /api/v2/chats/{id}: the stored chat, used to find image URLs a stream did not carry.</summary>
    public Task<JsonDocument> GetChatDetailsAsync(QwenAccount account, string chatId, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Get, $"api/v2/chats/{Uri.EscapeDataString(chatId)}", account, null, chatId, cancellationToken);
}
