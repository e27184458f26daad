using System.Net;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Tools;

/// <summary>
/// The three agent surfaces (chat completions, Responses, Anthropic Messages) side by side on the wire: a stream the
/// upstream breaks off after bytes were sent ends with that surface's error event, never a success-looking end, also
/// when it breaks inside a tool call; and no answer of any kind carries an account token or the client's key.
/// </summary>
public sealed class AgentSurfaceWireTests
{
    private const string ClientKey = "sk-agent-surface-key-4f3e2d1c";

    public static TheoryData<string> Surfaces => [.. Surface.All.Keys];

    [Theory]
    [MemberData(nameof(Surfaces))]
    public async Task StreamCutInsideAToolCall_EndsWithTheSurfaceErrorEvent_NeverASuccessEnd(string name)
    {
        var surface = Surface.All[name];
        // Two accounts, so a retry would be possible: after the first byte it must not happen.
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        app.Emulator.Script.Enqueue("Checking the weather.", "\n<tool_call>\n{\"name\": \"get_weather\", ", "\"arguments\": {\"city\": \"Paris\"}}\n</tool_call>");
        app.Emulator.Faults.Enqueue(Fault.CutAfter(2), endpoint: EmulatorEndpoint.TextCompletion);

        using var response = await app.Http.SendAsync(surface.Request("Weather in Paris?", stream: true, key: null), HttpCompletionOption.ResponseHeadersRead);
        var events = await ReadEventsAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var raw = string.Join("\n", events.Select(e => e.Data));
        Assert.Contains("Checking the weather.", raw); // the text before the call was sent at once
        Assert.DoesNotContain(surface.CallMarker, raw); // half a call is not a call
        surface.AssertFailedEnd(events, "upstream_stream_interrupted");
        Assert.Single(app.Completions());
    }

    [Theory]
    [MemberData(nameof(Surfaces))]
    public async Task StreamCutMidAnswer_EndsWithTheSurfaceErrorEvent_NeverASuccessEnd(string name)
    {
        var surface = Surface.All[name];
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        app.Emulator.Faults.Enqueue(Fault.CutAfter(1), endpoint: EmulatorEndpoint.TextCompletion);

        using var response = await app.Http.SendAsync(surface.Request("Tell me a story", stream: true, key: null, tools: false), HttpCompletionOption.ResponseHeadersRead);
        var events = await ReadEventsAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Echo", string.Join("\n", events.Select(e => e.Data)));
        surface.AssertFailedEnd(events, "upstream_stream_interrupted");
        Assert.Single(app.Completions());
    }

    [Theory]
    [MemberData(nameof(Surfaces))]
    public async Task ForcedToolChoiceStreamEndedWithoutACall_EndsWithTheSurfaceErrorEvent_NeverASuccessEnd(string name)
    {
        var surface = Surface.All[name];
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Script.Enqueue("I would rather not.");

        using var response = await app.Http.SendAsync(surface.Request("Weather?", stream: true, key: null, forced: true), HttpCompletionOption.ResponseHeadersRead);
        var events = await ReadEventsAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        surface.AssertFailedEnd(events, "tool_call_missing");
        Assert.Contains("tool_choice", events[^1].Data + (events.Count > 1 ? events[^2].Data : ""));
    }

    [Theory]
    [MemberData(nameof(Surfaces))]
    public async Task Answers_WholeStreamedToolCallFailedAndRefused_CarryNoAccountTokenOrClientKey(string name)
    {
        var surface = Surface.All[name];
        await using var app = await EmulatedApp.StartAsync(accounts: 2, settings: s => s["API_KEYS"] = ClientKey);
        app.Emulator.Script.Enqueue("Plain answer.");
        app.Emulator.Script.Enqueue("Streamed answer.");
        app.Emulator.Script.Enqueue(ModelToolCalls.Json("get_weather", """{"city": "Paris"}"""));
        app.Emulator.Script.Enqueue(ScriptedAnswer.Split("Checking.\n" + ModelToolCalls.Json("get_weather", """{"city": "Oslo"}"""), 6));
        var transcript = new StringBuilder();
        var statuses = new List<HttpStatusCode>();

        async Task SendAsync(HttpRequestMessage request)
        {
            using (request)
            using (var response = await app.Http.SendAsync(request))
            {
                statuses.Add(response.StatusCode);
                transcript.AppendLine(response.ToString()).AppendLine(await response.Content.ReadAsStringAsync());
            }
        }

        await SendAsync(surface.Request("hi", stream: false, ClientKey, tools: false));
        await SendAsync(surface.Request("hi", stream: true, ClientKey, tools: false));
        await SendAsync(surface.Request("Weather in Paris?", stream: false, ClientKey));
        await SendAsync(surface.Request("Weather in Oslo?", stream: true, ClientKey));
        app.Emulator.Faults.Enqueue(Fault.CutAfter(1), endpoint: EmulatorEndpoint.TextCompletion);
        await SendAsync(surface.Request("cut me off", stream: true, ClientKey, tools: false));
        app.Emulator.Faults.Enqueue(Fault.Unauthorized(asHttpStatus: true), endpoint: EmulatorEndpoint.TextCompletion);
        await SendAsync(surface.Request("rejected token", stream: true, ClientKey, tools: false));
        await SendAsync(surface.Request("hi", stream: false, ClientKey + "-wrong", tools: false));
        await SendAsync(surface.Request("hi", stream: false, key: null, tools: false));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], statuses[..5]);
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], statuses[^2..]);
        Assert.Equal(0, app.Emulator.Faults.Pending); // every fault was hit
        var text = transcript.ToString();
        Assert.Contains(surface.CallMarker, text); // the tool-call answers are in the transcript
        foreach (var secret in app.Accounts.Select(a => a.Token).Append(ClientKey))
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    private static async Task<List<SseItem<string>>> ReadEventsAsync(HttpResponseMessage response)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = new List<SseItem<string>>();
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync(cts.Token)).EnumerateAsync(cts.Token))
        {
            events.Add(item);
        }

        return events;
    }

    /// <summary>One surface: its request shape, how a call shows in its answers, and how its streams must end on failure.</summary>
    private sealed record Surface(
        string Path,
        Func<string, bool, JsonObject> Body,
        string ToolsJson,
        string ForcedChoiceJson,
        string CallMarker,
        Action<HttpRequestMessage, string> Authorize,
        Action<List<SseItem<string>>, string> AssertFailedEnd)
    {
        private const string Schema = """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""";

        public static readonly IReadOnlyDictionary<string, Surface> All = new Dictionary<string, Surface>
        {
            ["chat-completions"] = new(
                "api/v1/chat/completions",
                (prompt, stream) => new() { ["model"] = "qwen3.6-plus", ["stream"] = stream, ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }) },
                """[{"type":"function","function":{"name":"get_weather","parameters":""" + Schema + "}}]",
                "\"required\"",
                "\"tool_calls\"",
                Bearer,
                (events, code) =>
                {
                    // openai-python raises on a payload with a top-level error; [DONE] or a finish_reason would read as success.
                    Assert.DoesNotContain(events, e => e.Data == "[DONE]");
                    Assert.Equal(code, JsonDocument.Parse(events[^1].Data).RootElement.GetProperty("error").GetProperty("code").GetString());
                    Assert.DoesNotContain(events.SkipLast(1), e => JsonDocument.Parse(e.Data).RootElement.GetProperty("choices").EnumerateArray()
                        .Any(c => c.TryGetProperty("finish_reason", out var finish) && finish.ValueKind != JsonValueKind.Null));
                }),
            ["responses"] = new(
                "api/v1/responses",
                (prompt, stream) => new() { ["model"] = "qwen3.6-plus", ["stream"] = stream, ["input"] = prompt },
                """[{"type":"function","name":"get_weather","parameters":""" + Schema + "}]",
                "\"required\"",
                "\"type\":\"function_call\"",
                Bearer,
                (events, code) =>
                {
                    Assert.Equal(["error", "response.failed"], events.TakeLast(2).Select(e => e.EventType));
                    Assert.Equal(code, JsonDocument.Parse(events[^2].Data).RootElement.GetProperty("code").GetString());
                    var failed = JsonDocument.Parse(events[^1].Data).RootElement.GetProperty("response");
                    Assert.Equal("failed", failed.GetProperty("status").GetString());
                    Assert.Equal(code, failed.GetProperty("error").GetProperty("code").GetString());
                    Assert.DoesNotContain(events, e => e.EventType == "response.completed");
                }),
            ["anthropic-messages"] = new(
                "api/v1/messages",
                (prompt, stream) => new() { ["model"] = "qwen3.6-plus", ["max_tokens"] = 512, ["stream"] = stream, ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }) },
                """[{"name":"get_weather","input_schema":""" + Schema + "}]",
                """{"type":"any"}""",
                "\"type\":\"tool_use\"",
                (request, key) =>
                {
                    request.Headers.Add("x-api-key", key);
                    request.Headers.Add("anthropic-version", "2023-06-01");
                },
                (events, _) =>
                {
                    // Anthropic's error event has a type, not a code: both failures tested here are server-side (api_error).
                    // message_delta carries the stop reason and message_stop the end: either would read as success.
                    Assert.Equal("error", events[^1].EventType);
                    var error = JsonDocument.Parse(events[^1].Data).RootElement;
                    Assert.Equal("error", error.GetProperty("type").GetString());
                    Assert.Equal("api_error", error.GetProperty("error").GetProperty("type").GetString());
                    Assert.DoesNotContain(events, e => e.EventType is "message_stop" or "message_delta");
                }),
        };

        public HttpRequestMessage Request(string prompt, bool stream, string? key, bool tools = true, bool forced = false)
        {
            var body = Body(prompt, stream);
            if (tools)
            {
                body["tools"] = JsonNode.Parse(ToolsJson);
            }

            if (forced)
            {
                body["tool_choice"] = JsonNode.Parse(ForcedChoiceJson);
            }

            var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
            if (key is not null)
            {
                Authorize(request, key);
            }

            return request;
        }

        private static void Bearer(HttpRequestMessage request, string key) => request.Headers.Authorization = new("Bearer", key);
    }
}
