using System.Diagnostics;
using System.Net;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Benchmarks;

/// <summary>
/// The agent surfaces, streaming: a tool call through chat completions, a Responses stream and an Anthropic Messages
/// stream (and a plain chat completions stream as the reference), each against the same direct upstream exchange. Two rows per surface from the same requests: time to the
/// first thing a client can act on (the first text delta, or for the tool call the first tool_calls delta, which
/// comes only once the whole &lt;tool_call&gt; block has been read), and time to the end of the stream.
/// </summary>
internal sealed class AgentSurfaceBenchmarks(EmulatedApp app)
{
    /// <summary>The model's tool-call answer, in 8 upstream deltas (the same text for proxy and direct).</summary>
    private static readonly string ToolCallAnswer = "Let me check.\n" + ModelToolCalls.Json("get_weather", """{"city": "Paris"}""");

    private readonly HttpClient _http = app.Http;
    private readonly DirectQwenClient _direct = new(app.Emulator.BaseAddress, app.Accounts[0].Token);

    public static IReadOnlyList<Surface> Surfaces { get; } =
    [
        // The reference: the same text stream through plain chat completions, measured the same way.
        new("chat completions text stream (reference)", "api/v1/chat/completions", ToolCall: false,
            prompt => new JsonObject
            {
                ["model"] = "qwen3.6-plus", ["stream"] = true,
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }),
            },
            item => item.Data.Contains("\"content\":\"", StringComparison.Ordinal) && !item.Data.Contains("\"content\":\"\"", StringComparison.Ordinal),
            (items, _) => items[^1].Data == "[DONE]"),
        new("tool-call stream (chat completions)", "api/v1/chat/completions", ToolCall: true,
            prompt => new JsonObject
            {
                ["model"] = "qwen3.6-plus", ["stream"] = true,
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }),
                ["tools"] = JsonNode.Parse("""[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]"""),
            },
            item => item.Data.Contains("\"tool_calls\"", StringComparison.Ordinal),
            (items, _) => items[^1].Data == "[DONE]" && items.Any(i => i.Data.Contains("\"finish_reason\":\"tool_calls\"", StringComparison.Ordinal))),
        new("Responses stream", "api/v1/responses", ToolCall: false,
            prompt => new JsonObject { ["model"] = "qwen3.6-plus", ["stream"] = true, ["store"] = false, ["input"] = prompt },
            item => item.EventType == "response.output_text.delta",
            (items, prompt) => items[^1].EventType == "response.completed" && Text(items, "response.output_text.delta", d => d.GetProperty("delta")) == "Echo: " + prompt),
        new("Anthropic Messages stream", "api/v1/messages", ToolCall: false,
            prompt => new JsonObject
            {
                ["model"] = "qwen3.6-plus", ["max_tokens"] = 1024, ["stream"] = true,
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }),
            },
            item => item.EventType == "content_block_delta",
            (items, prompt) => items[^1].EventType == "message_stop" && Text(items, "content_block_delta", d => d.GetProperty("delta").GetProperty("text")) == "Echo: " + prompt),
    ];

    public async Task WarmUpAsync(int count)
    {
        foreach (var surface in Surfaces)
        {
            await Load.RunAsync(count, 4, async (i, ct) =>
            {
                Script(surface);
                await StreamAsync(surface, $"warm {i}", ct);
            });
        }
    }

    /// <summary>Two results per surface: first actionable event, and the whole stream. Proxy and direct alternate in rounds.</summary>
    public async Task<IReadOnlyList<LatencyResult>> RunAsync(Surface surface, int count, int concurrency, int rounds = 4)
    {
        var proxyFirst = new Samples();
        var directFirst = new Samples();
        var proxyWhole = new Samples();
        var directWhole = new Samples();
        var failures = 0;
        for (var round = 0; round < rounds; round++)
        {
            await directWhole.TimeBatchAsync(() => Load.RunAsync(count / rounds, concurrency, async (i, ct) =>
            {
                Script(surface);
                var start = Stopwatch.GetTimestamp();
                var first = await _direct.ExchangeAsync($"agent {i}", ct);
                var end = Stopwatch.GetTimestamp();
                directFirst.Add(start, first);
                directWhole.Add(start, end);
            }));
            await proxyWhole.TimeBatchAsync(() => Load.RunAsync(count / rounds, concurrency, async (i, ct) =>
            {
                Script(surface);
                var prompt = $"agent {i}";
                var start = Stopwatch.GetTimestamp();
                var (status, first, items) = await StreamAsync(surface, prompt, ct);
                var end = Stopwatch.GetTimestamp();
                if (status == HttpStatusCode.OK && first != 0 && items.Count > 0 && surface.Succeeded(items, prompt))
                {
                    proxyFirst.Add(start, first);
                    proxyWhole.Add(start, end);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                }
            }));
            app.Emulator.ClearRequests();
            app.Server.Logs.Clear();
        }

        // The first-event samples come from the same batches: only the whole-stream row carries their CPU and bytes.
        var first = surface.ToolCall ? "first tool_calls delta" : "first text delta";
        return
        [
            new LatencyResult($"{surface.Name}, {first}, concurrency {concurrency}", proxyFirst, directFirst, failures),
            new LatencyResult($"{surface.Name}, whole stream, concurrency {concurrency}", proxyWhole, directWhole, failures),
        ];
    }

    /// <summary>The tool-call answer is scripted once per request (proxy or direct), so both stream the same text.</summary>
    private void Script(Surface surface)
    {
        if (surface.ToolCall)
        {
            app.Emulator.Script.Enqueue(ScriptedAnswer.Split(ToolCallAnswer, 8));
        }
    }

    private async Task<(HttpStatusCode Status, long First, List<SseItem<string>> Items)> StreamAsync(Surface surface, string prompt, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, surface.Path)
        {
            Content = new StringContent(surface.Body(prompt).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        long first = 0;
        var items = new List<SseItem<string>>();
        await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken))
        {
            if (first == 0 && surface.IsFirst(item)) first = Stopwatch.GetTimestamp();
            items.Add(item);
        }

        return (response.StatusCode, first, items);
    }

    private static string Text(List<SseItem<string>> items, string type, Func<JsonElement, JsonElement> delta) =>
        string.Concat(items.Where(i => i.EventType == type).Select(i =>
        {
            using var json = JsonDocument.Parse(i.Data);
            return delta(json.RootElement).GetString();
        }));

    internal sealed record Surface(
        string Name,
        string Path,
        bool ToolCall,
        Func<string, JsonObject> Body,
        Func<SseItem<string>, bool> IsFirst,
        Func<List<SseItem<string>>, string, bool> Succeeded);
}
