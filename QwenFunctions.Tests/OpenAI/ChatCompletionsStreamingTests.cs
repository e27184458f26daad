using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.OpenAI;

/// <summary>POST /api/v1/chat/completions with stream=true, observed as raw SSE.</summary>
public sealed class ChatCompletionsStreamingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Stream_FirstDelta_ReachesClientWhileUpstreamIsStillHeld()
    {
        await using var app = await EmulatedApp.StartAsync();
        var gate = app.Emulator.PauseAfterFirstAnswerDelta();
        using var cts = new CancellationTokenSource(Patience);

        using var response = await app.PostAsync("api/v1/chat/completions", Body("stream me"), cts.Token);
        using var sse = new SseClient(await response.Content.ReadAsStreamAsync(cts.Token));
        var role = SseClient.Json((await sse.NextDataAsync(cts.Token))!);
        var first = SseClient.Json((await sse.NextDataAsync(cts.Token))!);

        // The upstream is held after its first delta: the client can only have it if it was flushed on arrival.
        Assert.False(UpstreamAnswerDone(app));
        Assert.Equal("assistant", Delta(role).GetProperty("role").GetString());
        Assert.False(string.IsNullOrEmpty(Delta(first).GetProperty("content").GetString()));
        gate.Release();
        var rest = await sse.ReadAllAsync(cts.Token);
        Assert.Equal("[DONE]", rest[^1]);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.Contains("x-request-id"));
    }

    [Fact]
    public async Task Stream_IncludeUsage_SendsUsageChunkWithEmptyChoicesAndNullUsageElsewhere()
    {
        await using var app = await EmulatedApp.StartAsync();
        using var cts = new CancellationTokenSource(Patience);

        using var response = await app.PostAsync("api/v1/chat/completions", Body("count tokens", includeUsage: true, model: "my-model"), cts.Token);
        var items = await ReadAllAsync(response, cts.Token);

        Assert.Equal("[DONE]", items[^1]);
        var chunks = items.Where(i => i != "[DONE]").Select(SseClient.Json).ToList();
        var usageChunk = chunks[^1];
        Assert.Equal(0, usageChunk.GetProperty("choices").GetArrayLength());
        Assert.True(usageChunk.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() > 0);
        Assert.True(usageChunk.GetProperty("usage").GetProperty("completion_tokens_details").TryGetProperty("reasoning_tokens", out _));
        Assert.All(chunks[..^1], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("usage").ValueKind));
        Assert.Equal("stop", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.Single(chunks.Select(c => c.GetProperty("created").GetInt64()).Distinct());
        Assert.All(chunks, c => Assert.Equal("my-model", c.GetProperty("model").GetString()));
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
    }

    [Fact]
    public async Task Stream_WithoutIncludeUsage_ChunksCarryNoUsage()
    {
        await using var app = await EmulatedApp.StartAsync();
        using var cts = new CancellationTokenSource(Patience);

        using var response = await app.PostAsync("api/v1/chat/completions", Body("hi"), cts.Token);
        var chunks = (await ReadAllAsync(response, cts.Token)).Where(i => i != "[DONE]").Select(SseClient.Json).ToList();

        Assert.All(chunks, c => Assert.False(c.TryGetProperty("usage", out _)));
        Assert.All(chunks, c => Assert.Equal(1, c.GetProperty("choices").GetArrayLength()));
    }

    [Fact]
    public async Task Stream_UpstreamCutMidAnswer_EndsWithInBandErrorAndNoDone()
    {
        // Two accounts, so a retry would be possible: after the first byte it must not happen.
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        app.Emulator.Faults.Enqueue(Fault.CutAfter(1), endpoint: EmulatorEndpoint.TextCompletion);
        using var cts = new CancellationTokenSource(Patience);

        using var response = await app.PostAsync("api/v1/chat/completions", Body("cut me"), cts.Token);
        var items = await ReadAllAsync(response, cts.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("[DONE]", items);
        var error = SseClient.Json(items[^1]).GetProperty("error");
        Assert.Equal("upstream_stream_interrupted", error.GetProperty("code").GetString());
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Contains(items, i => i.Contains("\"content\":\"Echo", StringComparison.Ordinal));
        Assert.Single(app.Completions());
    }

    [Fact]
    public async Task Stream_UpstreamFailsBeforeFirstContent_AnswersRealStatusWithOpenAIError()
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Faults.Enqueue(Fault.WafJson(), endpoint: EmulatorEndpoint.TextCompletion);

        var (response, body) = await app.PostJsonAsync("api/v1/chat/completions", Body("blocked"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("upstream_blocked", body.GetProperty("error").GetProperty("code").GetString());
        Assert.True(response.Headers.Contains("x-request-id"));
    }

    [Fact]
    public async Task Stream_UpstreamSilent_SendsKeepAliveCommentEveryInterval()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await EmulatedApp.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var gate = app.Emulator.PauseAfterFirstAnswerDelta();
        using var cts = new CancellationTokenSource(Patience);

        using var response = await app.PostAsync("api/v1/chat/completions", Body("think slowly"), cts.Token);
        using var sse = new SseClient(await response.Content.ReadAsStreamAsync(cts.Token));
        await sse.NextDataAsync(cts.Token); // role
        await sse.NextDataAsync(cts.Token); // first delta; the upstream now holds the rest
        time.Advance(TimeSpan.FromSeconds(15));
        var heartbeat = await sse.NextAsync(cts.Token);
        time.Advance(TimeSpan.FromSeconds(15));
        var second = await sse.NextAsync(cts.Token);
        gate.Release();
        var rest = await sse.ReadAllAsync(cts.Token);

        Assert.Equal(": keep-alive", heartbeat);
        Assert.Equal(": keep-alive", second);
        Assert.Equal("[DONE]", rest[^1]);
    }

    [Fact]
    public async Task Stream_UpstreamKeepAliveEvent_BecomesComment()
    {
        await using var app = await EmulatedApp.StartAsync(emulatorOptions: new QwenEmulatorOptions { KeepAliveEvents = 1 });
        using var cts = new CancellationTokenSource(Patience);

        using var response = await app.PostAsync("api/v1/chat/completions", Body("hello"), cts.Token);
        var items = await ReadAllAsync(response, cts.Token);

        Assert.Contains(": keep-alive", items);
        Assert.Equal("[DONE]", items[^1]);
    }

    [Fact]
    public async Task Stream_UpstreamSilentThenTimesOut_HeartbeatStartsStreamAndErrorComesInBand()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await EmulatedApp.StartAsync(services: s => s.AddSingleton<TimeProvider>(time),
            emulatorOptions: new QwenEmulatorOptions { TimeProvider = time });
        app.Emulator.Faults.Enqueue(Fault.SlowFirstByte(TimeSpan.FromMinutes(10)), endpoint: EmulatorEndpoint.TextCompletion);
        using var cts = new CancellationTokenSource(Patience);

        var sending = app.PostAsync("api/v1/chat/completions", Body("slow"), cts.Token);
        await Eventually.TrueAsync(() => app.Completions().Count == 1, Patience);
        time.Advance(TimeSpan.FromSeconds(15)); // keep-alive interval: the stream starts with a heartbeat
        using var response = await sending;
        using var sse = new SseClient(await response.Content.ReadAsStreamAsync(cts.Token));
        var heartbeat = await sse.NextAsync(cts.Token);
        time.Advance(TimeSpan.FromSeconds(45)); // first-byte timeout (60 s): the only account gave nothing
        var rest = await sse.ReadAllAsync(cts.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(": keep-alive", heartbeat);
        Assert.DoesNotContain("[DONE]", rest);
        var error = SseClient.Json(rest.Last(i => !i.StartsWith(':'))).GetProperty("error");
        Assert.Equal("upstream_timeout", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Stream_ClientDisconnects_SendsStopUpstreamWithoutErrorLogs()
    {
        await using var app = await EmulatedApp.StartAsync();
        var gate = app.Emulator.PauseAfterFirstAnswerDelta();
        using var cts = new CancellationTokenSource(Patience);

        var response = await app.PostAsync("api/v1/chat/completions", Body("long answer"), cts.Token);
        var sse = new SseClient(await response.Content.ReadAsStreamAsync(cts.Token));
        await sse.NextDataAsync(cts.Token);
        await sse.NextDataAsync(cts.Token);
        sse.Dispose();
        response.Dispose();

        var chat = app.Emulator.Chats.Single();
        await Eventually.TrueAsync(() => chat.StopCount > 0, Patience);
        Assert.Equal(1, chat.StopCount);
        Assert.DoesNotContain(app.Server.Logs.GetSnapshot(), r => r.Level >= LogLevel.Error);
        gate.Release();
    }

    [Fact]
    public async Task Stream_ClientDisconnectsBeforeFirstContent_SendsStopUpstream()
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Faults.Enqueue(Fault.SlowFirstByte(TimeSpan.FromMinutes(10)), endpoint: EmulatorEndpoint.TextCompletion);
        using var client = new CancellationTokenSource();

        var sending = app.PostAsync("api/v1/chat/completions", Body("never mind"), client.Token);
        await Eventually.TrueAsync(() => app.Completions().Count == 1, Patience);
        await client.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);

        var chat = app.Emulator.Chats.Single();
        await Eventually.TrueAsync(() => chat.StopCount > 0, Patience);
        Assert.Equal(1, chat.StopCount);
    }

    internal static object Body(string prompt, bool includeUsage = false, string model = "qwen3.6-plus") => includeUsage
        ? new { model, stream = true, stream_options = new { include_usage = true }, messages = new[] { new { role = "user", content = prompt } } }
        : new { model, stream = true, messages = new[] { new { role = "user", content = prompt } } };

    private static JsonElement Delta(JsonElement chunk) => chunk.GetProperty("choices")[0].GetProperty("delta");

    private static bool UpstreamAnswerDone(EmulatedApp app) => app.Emulator.Chats.Single().AssistantMessages.Single().Done;

    private static async Task<List<string>> ReadAllAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var sse = new SseClient(await response.Content.ReadAsStreamAsync(cancellationToken));
        return await sse.ReadAllAsync(cancellationToken);
    }
}
