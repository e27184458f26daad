using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace QwenFunctions.Benchmarks;

/// <summary>
/// The upstream exchange the proxy makes for one chat completion (create chat, then a streamed completion), done
/// directly against the emulator with the proxy's own handler settings (decompression on). This is the baseline the
/// proxy's time is compared with.
/// </summary>
internal sealed class DirectQwenClient : IDisposable
{
    private readonly HttpClient _http;

    public DirectQwenClient(Uri baseAddress, string token)
    {
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Brotli | DecompressionMethods.Deflate,
        })
        { BaseAddress = baseAddress };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _http.DefaultRequestHeaders.Add("source", "web");
        _http.DefaultRequestHeaders.Add("version", "0.3.12");
    }

    /// <summary>Runs the whole exchange; returns the timestamp of the first answer delta (0 if none arrived).</summary>
    public async Task<long> ExchangeAsync(string prompt, CancellationToken cancellationToken)
    {
        var chatId = await NewChatAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v2/chat/completions?chat_id={chatId}")
        {
            Content = new StringContent(CompletionBody(chatId, prompt).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("x-accel-buffering", "no");
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        long firstAnswer = 0;
        var finished = false;
        await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken))
        {
            if (firstAnswer == 0 && IsAnswerDelta(item.Data)) firstAnswer = System.Diagnostics.Stopwatch.GetTimestamp();
            finished |= item.Data.Contains("\"finished\"", StringComparison.Ordinal);
        }

        return finished ? firstAnswer : throw new InvalidOperationException("Direct exchange ended without a finished event.");
    }

    private async Task<string> NewChatAsync(CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["title"] = "New Chat", ["models"] = new JsonArray("qwen3.6-plus"), ["chat_mode"] = "normal", ["chat_type"] = "t2t" };
        using var response = await _http.PostAsync("api/v2/chats/new", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), cancellationToken);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return json.RootElement.GetProperty("data").GetProperty("id").GetString()!;
    }

    private static bool IsAnswerDelta(string data) =>
        data.Contains("\"phase\":\"answer\"", StringComparison.Ordinal) && data.Contains("\"content\":\"", StringComparison.Ordinal)
        && !data.Contains("\"content\":\"\"", StringComparison.Ordinal);

    private static JsonObject CompletionBody(string chatId, string content) => new()
    {
        ["stream"] = true, ["version"] = "2.1", ["incremental_output"] = true, ["chat_id"] = chatId, ["chat_mode"] = "normal",
        ["model"] = "qwen3.6-plus", ["parent_id"] = null, ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["messages"] = new JsonArray(new JsonObject
        {
            ["fid"] = Guid.NewGuid().ToString(), ["parentId"] = null, ["parent_id"] = null,
            ["childrenIds"] = new JsonArray(Guid.NewGuid().ToString()), ["role"] = "user", ["content"] = content,
            ["user_action"] = "chat", ["files"] = new JsonArray(), ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["models"] = new JsonArray("qwen3.6-plus"), ["chat_type"] = "t2t", ["sub_chat_type"] = "t2t",
            ["extra"] = new JsonObject { ["meta"] = new JsonObject { ["subChatType"] = "t2t" } },
            ["feature_config"] = new JsonObject { ["thinking_enabled"] = false, ["output_schema"] = "phase" },
        }),
    };

    public void Dispose() => _http.Dispose();
}
