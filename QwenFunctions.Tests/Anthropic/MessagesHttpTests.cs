using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Anthropic;

/// <summary>POST /api/v1/messages on the wire: what Claude Code and raw clients see.</summary>
public sealed class MessagesHttpTests
{
    [Fact]
    public async Task Stream_StopSequenceHit_EndsTheMessageWithoutWaitingForTheUpstream()
    {
        await using var app = await EmulatedApp.StartAsync();
        var gate = app.Emulator.PauseAfterFirstAnswerDelta();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        List<SseItem<string>> events;
        try
        {
            using var response = await app.PostAsync("api/v1/messages?beta=true",
                """{"model":"qwen3.6-plus","max_tokens":100,"stream":true,"stop_sequences":[":"],"messages":[{"role":"user","content":"stop here"}]}""", cts.Token);
            events = await ReadAsync(response, cts.Token);
        }
        finally
        {
            gate.Release();
        }

        Assert.Equal("message_start", events[0].EventType);
        Assert.Equal("message_stop", events[^1].EventType);
        var end = JsonDocument.Parse(events[^2].Data).RootElement.GetProperty("delta");
        Assert.Equal("stop_sequence", end.GetProperty("stop_reason").GetString());
        Assert.Equal(":", end.GetProperty("stop_sequence").GetString());
        var text = string.Concat(events.Where(e => e.EventType == "content_block_delta").Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("delta").GetProperty("text").GetString()));
        Assert.Equal("Echo", text);
    }

    [Fact]
    public async Task Create_MissingMaxTokens_Is400InAnthropicShapeWithRequestIdHeader()
    {
        await using var app = await EmulatedApp.StartAsync();

        using var response = await app.PostAsync("api/v1/messages", """{"model":"qwen3.6-plus","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("error", body.GetProperty("type").GetString());
        Assert.Equal("invalid_request_error", body.GetProperty("error").GetProperty("type").GetString());
        Assert.StartsWith("max_tokens", body.GetProperty("error").GetProperty("message").GetString());
        Assert.StartsWith("req_", response.Headers.GetValues("request-id").Single());
        Assert.Empty(app.Completions());
    }

    [Fact]
    public async Task Create_MissingKey_Is401InAnthropicShape()
    {
        await using var app = await EmulatedApp.StartAsync(settings: s => s["API_KEYS"] = "sk-ant-client-key");

        using var response = await app.PostAsync("api/v1/messages", """{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("authentication_error", body.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Answers_WholeStreamedAndFailed_NeverCarryTheAccountTokenOrClientKey()
    {
        const string key = "sk-ant-secret-client-key-0123456789";
        await using var app = await EmulatedApp.StartAsync(settings: s => s["API_KEYS"] = key);
        var token = app.Accounts[0].Token;
        var seen = new List<string>();

        foreach (var (body, auth) in new[]
        {
            ("""{"model":"qwen3.6-plus","max_tokens":100,"messages":[{"role":"user","content":"hi"}]}""", key),
            ("""{"model":"qwen3.6-plus","max_tokens":100,"stream":true,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"hi"}]}""", key),
            ("""{"model":"qwen3.6-plus","max_tokens":100,"messages":[{"role":"user","content":"hi"}]}""", key + "x"),
            ("""{"model":"qwen3.6-plus","messages":[]}""", key),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/messages") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Add("x-api-key", auth);
            request.Headers.Add("anthropic-version", "2023-06-01");
            using var response = await app.Http.SendAsync(request);
            seen.Add(string.Join("\n", response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(",", h.Value)}")));
            seen.Add(await response.Content.ReadAsStringAsync());
        }

        Assert.All(seen, text =>
        {
            Assert.DoesNotContain(token, text);
            Assert.DoesNotContain(key, text);
        });
        Assert.Contains(seen, t => t.Contains("event: message_stop"));
    }

    private static async Task<List<SseItem<string>>> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var events = new List<SseItem<string>>();
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync(cancellationToken)).EnumerateAsync(cancellationToken))
        {
            events.Add(item);
        }

        return events;
    }
}
