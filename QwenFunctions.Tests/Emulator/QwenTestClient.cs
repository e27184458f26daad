using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace QwenFunctions.Tests.Emulator;

/// <summary>
/// A plain HttpClient speaking the upstream protocol the way the app should (headers of §4, bodies of §6.3), used by the
/// emulator's own tests. Reading it is the quickest way to see what a request to chat.qwen.ai looks like.
/// </summary>
internal sealed class QwenTestClient : IDisposable
{
    public QwenTestClient(QwenEmulator emulator, string token, bool asCookie = false, DecompressionMethods decompression = DecompressionMethods.None)
    {
        Http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AutomaticDecompression = decompression })
        {
            BaseAddress = emulator.BaseAddress,
        };
        if (asCookie) Http.DefaultRequestHeaders.Add("Cookie", $"token={token}");
        else Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Http.DefaultRequestHeaders.Add("source", "web");
        Http.DefaultRequestHeaders.Add("version", "0.3.12");
        Http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
    }

    public HttpClient Http { get; }

    public async Task<string> NewChatAsync(string model = "qwen3.6-plus")
    {
        var json = await PostJsonAsync("api/v2/chats/new", new JsonObject { ["title"] = "New Chat", ["models"] = new JsonArray(model), ["chat_mode"] = "normal", ["chat_type"] = "t2t" });
        return json.GetProperty("data").GetProperty("id").GetString()!;
    }

    public static JsonObject CompletionBody(string chatId, string content, string? parentId = null, bool thinking = false,
        string chatType = "t2t", bool stream = true, string? size = null, JsonArray? files = null)
    {
        var body = new JsonObject
        {
            ["stream"] = stream, ["version"] = "2.1", ["incremental_output"] = true, ["chat_id"] = chatId, ["chat_mode"] = "normal",
            ["model"] = "qwen3.6-plus", ["parent_id"] = parentId, ["timestamp"] = 1790356346,
            ["messages"] = new JsonArray(new JsonObject
            {
                ["fid"] = Guid.NewGuid().ToString(), ["parentId"] = parentId, ["parent_id"] = parentId,
                ["childrenIds"] = new JsonArray(Guid.NewGuid().ToString()), ["role"] = "user", ["content"] = content,
                ["user_action"] = "chat", ["files"] = files ?? [], ["timestamp"] = 1790356346, ["models"] = new JsonArray("qwen3.6-plus"),
                ["chat_type"] = chatType, ["sub_chat_type"] = chatType, ["extra"] = new JsonObject { ["meta"] = new JsonObject { ["subChatType"] = chatType } },
                ["feature_config"] = new JsonObject { ["thinking_enabled"] = thinking, ["output_schema"] = "phase", ["thinking_format"] = "summary" },
            }),
        };
        if (size is not null) body["size"] = size;
        return body;
    }

    /// <summary>Sends a completion and returns as soon as the headers arrive (the body is still streaming).</summary>
    public Task<HttpResponseMessage> SendCompletionAsync(string chatId, JsonObject body, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/v2/chat/completions?chat_id={chatId}")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-accel-buffering", "no");
        return Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>Runs a text completion and returns every event's JSON.</summary>
    public async Task<List<JsonElement>> CompleteAsync(string chatId, string content, string? parentId = null, bool thinking = false)
    {
        using var response = await SendCompletionAsync(chatId, CompletionBody(chatId, content, parentId, thinking));
        return await ReadEventsAsync(response);
    }

    /// <summary>Parses the SSE body with <see cref="SseParser"/>; <c>[DONE]</c> becomes a JSON string element.</summary>
    public static async Task<List<JsonElement>> ReadEventsAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        var events = new List<JsonElement>();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken))
            events.Add(item.Data == "[DONE]" ? JsonSerializer.SerializeToElement("[DONE]") : JsonDocument.Parse(item.Data).RootElement.Clone());
        return events;
    }

    public async Task<JsonElement> PostJsonAsync(string path, JsonObject body)
    {
        using var response = await Http.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public static IEnumerable<JsonElement> Deltas(IEnumerable<JsonElement> events, string phase) =>
        events.Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("choices", out _))
            .Select(e => e.GetProperty("choices")[0].GetProperty("delta"))
            .Where(d => d.GetProperty("phase").GetString() == phase);

    public static string AnswerText(IEnumerable<JsonElement> events) =>
        string.Concat(Deltas(events, "answer").Select(d => d.GetProperty("content").GetString()));

    public void Dispose() => Http.Dispose();
}
