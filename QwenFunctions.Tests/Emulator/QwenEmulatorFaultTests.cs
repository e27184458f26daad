using System.IO.Compression;
using System.Net;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace QwenFunctions.Tests.Emulator;

/// <summary>Scripted faults (§6.11 item 6): every error form the app must classify.</summary>
public sealed class QwenEmulatorFaultTests(QwenEmulatorFixture fixture) : IClassFixture<QwenEmulatorFixture>, IDisposable
{
    private readonly QwenEmulator _emu = fixture.Emulator;
    private readonly List<QwenTestClient> _clients = [];

    public void Dispose() => _clients.ForEach(c => c.Dispose());

    [Fact]
    public async Task RateLimited_Default_IsHttp200EnvelopeWithNumAndActual429()
    {
        var (client, chatId) = await NewChatAsync();
        _emu.Faults.Enqueue(Fault.RateLimited(num: 5), token: client.Token, endpoint: EmulatorEndpoint.Completions);

        using var response = await client.Api.SendCompletionAsync(chatId, QwenTestClient.CompletionBody(chatId, "hi"));
        var data = (await JsonAsync(response)).GetProperty("data");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("429", response.Headers.GetValues("x-actual-status-code").Single());
        Assert.Equal("RateLimited", data.GetProperty("code").GetString());
        Assert.Equal(5, data.GetProperty("num").GetInt32());
        Assert.Contains("{{num}}", data.GetProperty("template").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RateLimited_AsHttpStatus_IsHttp429WithSameBody()
    {
        var (client, chatId) = await NewChatAsync();
        _emu.Faults.Enqueue(Fault.RateLimited(num: 3, asHttpStatus: true), token: client.Token);

        using var response = await client.Api.SendCompletionAsync(chatId, QwenTestClient.CompletionBody(chatId, "hi"));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(3, (await JsonAsync(response)).GetProperty("data").GetProperty("num").GetInt32());
    }

    [Fact]
    public async Task RateLimited_InStream_IsFirstEventOfA200EventStream()
    {
        var (client, chatId) = await NewChatAsync();
        _emu.Faults.Enqueue(Fault.RateLimited(num: 2, inStream: true), token: client.Token);

        using var response = await client.Api.SendCompletionAsync(chatId, QwenTestClient.CompletionBody(chatId, "hi"));
        var events = await QwenTestClient.ReadEventsAsync(response);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var only = Assert.Single(events);
        Assert.Equal("RateLimited", only.GetProperty("data").GetProperty("code").GetString());
        Assert.False(only.TryGetProperty("choices", out _));
    }

    [Theory]
    [InlineData(true, HttpStatusCode.Unauthorized)]
    [InlineData(false, HttpStatusCode.OK)]
    public async Task Unauthorized_StickyForToken_AppliesToEveryRequestUntilCleared(bool asHttpStatus, HttpStatusCode expected)
    {
        var (client, chatId) = await NewChatAsync();
        _emu.Faults.SetSticky(client.Token, Fault.Unauthorized(asHttpStatus));

        using var first = await client.Api.SendCompletionAsync(chatId, QwenTestClient.CompletionBody(chatId, "a"));
        using var second = await client.Api.Http.GetAsync($"api/v2/chats/{chatId}");
        _emu.Faults.ClearSticky(client.Token);
        var afterClear = await client.Api.CompleteAsync(chatId, "b");

        foreach (var response in new[] { first, second })
        {
            Assert.Equal(expected, response.StatusCode);
            Assert.Equal("401", response.Headers.GetValues("x-actual-status-code").Single());
            Assert.Equal("Unauthorized", (await JsonAsync(response)).GetProperty("data").GetProperty("code").GetString());
        }
        Assert.Equal("Echo: b", QwenTestClient.AnswerText(afterClear));
    }

    [Fact]
    public async Task Enqueue_WithTokenAndEndpointFilter_HitsOnlyMatchingRequest()
    {
        var (a, chatA) = await NewChatAsync();
        var (b, chatB) = await NewChatAsync();
        _emu.Faults.Enqueue(Fault.InternalError(), token: a.Token, endpoint: EmulatorEndpoint.TextCompletion);

        var otherToken = await b.Api.CompleteAsync(chatB, "b");
        var otherEndpoint = await a.Api.NewChatAsync();
        var hit = await a.Api.CompleteAsync(chatA, "a");
        var next = await a.Api.CompleteAsync(chatA, "a2", parentId: null);

        Assert.Equal("Echo: b", QwenTestClient.AnswerText(otherToken));
        Assert.NotNull(_emu.GetChat(otherEndpoint));
        Assert.Equal("Internal error!", Assert.Single(hit).GetProperty("error").GetString());
        Assert.Equal("Echo: a2", QwenTestClient.AnswerText(next));
    }

    [Fact]
    public async Task WafJson_IsHttp200JsonWithRetAndPunishUrl()
    {
        var (client, chatId) = await NewChatAsync();
        _emu.Faults.Enqueue(Fault.WafJson(), token: client.Token);

        using var response = await client.Api.SendCompletionAsync(chatId, QwenTestClient.CompletionBody(chatId, "hi"));
        var body = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("FAIL_SYS_USER_VALIDATE", body.GetProperty("ret")[0].GetString());
        Assert.StartsWith("RGV587_ERROR::SM::", body.GetProperty("ret")[1].GetString(), StringComparison.Ordinal);
        Assert.Contains("punish?x5secdata=", body.GetProperty("data").GetProperty("url").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WafHtml_IsTextHtmlCaptchaPage()
    {
        var (client, chatId) = await NewChatAsync();
        _emu.Faults.Enqueue(Fault.WafHtml(), token: client.Token);

        using var response = await client.Api.SendCompletionAsync(chatId, QwenTestClient.CompletionBody(chatId, "hi"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("aliyun_waf", html, StringComparison.Ordinal);
        Assert.Contains("captcha", html, StringComparison.Ordinal);
        Assert.Contains("punish", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataInspectionFailed_IsOnlyEventOfStream()
    {
        var (client, chatId) = await NewChatAsync();
        _emu.Faults.Enqueue(Fault.DataInspectionFailed(), token: client.Token);

        var events = await client.Api.CompleteAsync(chatId, "bad words");

        var error = Assert.Single(events).GetProperty("error");
        Assert.Equal("data_inspection_failed", error.GetProperty("code").GetString());
        Assert.Equal("内容安全警告：输入数据可能包含不适当的内容！", error.GetProperty("details").GetString());
    }

    [Fact]
    public async Task InvalidInputAndErrorEnvelope_HaveTheirShapes()
    {
        var (client, chatId) = await NewChatAsync();
        _emu.Faults.Enqueue(Fault.InvalidInput("bad pdf"), token: client.Token);
        _emu.Faults.Enqueue(Fault.Error("Bad_Request", "internal error"), token: client.Token);

        var invalid = await client.Api.CompleteAsync(chatId, "x");
        using var envelope = await client.Api.SendCompletionAsync(chatId, QwenTestClient.CompletionBody(chatId, "y"));

        Assert.Equal("invalid_input", Assert.Single(invalid).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("internal error", (await JsonAsync(envelope)).GetProperty("data").GetProperty("details").GetString());
        Assert.Equal("400", envelope.Headers.GetValues("x-actual-status-code").Single());
    }

    [Fact]
    public async Task EmptyStream_Is200EventStreamWithOnlyCreated()
    {
        var (client, chatId) = await NewChatAsync();
        _emu.Faults.Enqueue(Fault.EmptyStream(), token: client.Token);

        var events = await client.Api.CompleteAsync(chatId, "hi");

        Assert.True(Assert.Single(events).TryGetProperty("response.created", out _));
    }

    [Fact]
    public async Task HttpStatus_Once_ThenNextRequestSucceeds()
    {
        var (client, chatId) = await NewChatAsync();
        _emu.Faults.Enqueue(Fault.HttpStatus(503), token: client.Token);

        using var failed = await client.Api.SendCompletionAsync(chatId, QwenTestClient.CompletionBody(chatId, "hi"));
        var retried = await client.Api.CompleteAsync(chatId, "hi");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal("Echo: hi", QwenTestClient.AnswerText(retried));
    }

    [Fact]
    public async Task CutAfter_OneDelta_AbortsConnectionWithoutFinished()
    {
        var (client, chatId) = await NewChatAsync();
        _emu.Faults.Enqueue(Fault.CutAfter(1), token: client.Token);
        var received = new List<string>();

        using var response = await client.Api.SendCompletionAsync(chatId, QwenTestClient.CompletionBody(chatId, "a longer prompt"));
        var error = await Record.ExceptionAsync(async () =>
        {
            await using var stream = await response.Content.ReadAsStreamAsync();
            await foreach (var item in SseParser.Create(stream).EnumerateAsync()) received.Add(item.Data);
        });

        Assert.IsAssignableFrom<IOException>(error);
        Assert.Equal(2, received.Count);
        Assert.DoesNotContain(received, d => d.Contains("finished", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StallAfter_OneDelta_HoldsConnectionUntilClientCancels()
    {
        var (client, chatId) = await NewChatAsync();
        _emu.Faults.Enqueue(Fault.StallAfter(1), token: client.Token);
        using var cts = new CancellationTokenSource();

        using var response = await client.Api.SendCompletionAsync(chatId, QwenTestClient.CompletionBody(chatId, "stall"));
        await using var stream = await response.Content.ReadAsStreamAsync();
        await using var events = SseParser.Create(stream).EnumerateAsync(cts.Token).GetAsyncEnumerator();
        await events.MoveNextAsync();
        await events.MoveNextAsync();
        var pending = events.MoveNextAsync().AsTask();
        var stalled = !pending.IsCompleted && _emu.GetChat(chatId)!.InProgress;
        await cts.CancelAsync();

        Assert.True(stalled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        Assert.False(_emu.GetChat(chatId)!.AssistantMessages[0].Done);
    }

    [Fact]
    public async Task SlowFirstByte_HoldsHeadersUntilFakeTimeAdvances()
    {
        var time = new FakeTimeProvider();
        await using var emu = await QwenEmulator.StartAsync(new QwenEmulatorOptions { TimeProvider = time });
        var account = emu.AddAccount();
        using var client = new QwenTestClient(emu, account.Token);
        var chatId = await client.NewChatAsync();
        emu.Faults.Enqueue(Fault.SlowFirstByte(TimeSpan.FromSeconds(30)), token: account.Token);

        var send = client.SendCompletionAsync(chatId, QwenTestClient.CompletionBody(chatId, "slow"));
        await Eventually(() => emu.Requests.Count(q => q.Path == "/api/v2/chat/completions") == 1);
        var heldBeforeAdvance = !send.IsCompleted;
        while (!send.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(30));
            await Task.WhenAny(send, Task.Delay(10));
        }
        using var response = await send;

        Assert.True(heldBeforeAdvance);
        Assert.Equal("Echo: slow", QwenTestClient.AnswerText(await QwenTestClient.ReadEventsAsync(response)));
    }

    [Fact]
    public async Task SlowFirstByte_ClientCancels_RequestEndsAndChatIsFree()
    {
        var (client, chatId) = await NewChatAsync();
        _emu.Faults.Enqueue(Fault.SlowFirstByte(TimeSpan.FromHours(1)), token: client.Token);
        using var cts = new CancellationTokenSource();

        var send = client.Api.SendCompletionAsync(chatId, QwenTestClient.CompletionBody(chatId, "slow"), cts.Token);
        await Eventually(() => _emu.Requests.Any(q => q.Token == client.Token && q.Path == "/api/v2/chat/completions"));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        Assert.Equal("Echo: next", QwenTestClient.AnswerText(await client.Api.CompleteAsync(chatId, "next")));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task Compression_AcceptEncoding_IsHonouredForStreams(string encoding)
    {
        var (client, chatId) = await NewChatAsync();
        client.Api.Http.DefaultRequestHeaders.Add("Accept-Encoding", encoding);

        using var response = await client.Api.SendCompletionAsync(chatId, QwenTestClient.CompletionBody(chatId, "packed"));

        Assert.Equal(encoding, response.Content.Headers.ContentEncoding.Single());
        Assert.Equal("Echo: packed", QwenTestClient.AnswerText(await DecompressedEventsAsync(response, encoding)));
    }

    [Fact]
    public async Task Compression_ForcedByFault_IgnoresAcceptEncoding()
    {
        var (client, _) = await NewChatAsync();
        _emu.Faults.Enqueue(Fault.Encoding("br"), token: client.Token, endpoint: EmulatorEndpoint.ChatsNew);

        using var response = await client.Api.Http.PostAsync("api/v2/chats/new", new StringContent("{}", Encoding.UTF8, "application/json"));
        await using var brotli = new BrotliStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        var body = await JsonDocument.ParseAsync(brotli);

        Assert.Equal("br", response.Content.Headers.ContentEncoding.Single());
        Assert.True(body.RootElement.GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task ResetConnection_BeforeHeaders_FailsTheSend()
    {
        var (client, chatId) = await NewChatAsync();
        _emu.Faults.Enqueue(Fault.ResetConnection(), token: client.Token);

        var error = await Record.ExceptionAsync(() => client.Api.SendCompletionAsync(chatId, QwenTestClient.CompletionBody(chatId, "hi")));

        Assert.IsType<HttpRequestException>(error);
    }

    [Fact]
    public async Task MalformedEventAfter_OneDelta_SendsNonJsonEventThenFinishes()
    {
        var (client, chatId) = await NewChatAsync();
        _emu.Faults.Enqueue(Fault.MalformedEventAfter(1), token: client.Token);

        using var response = await client.Api.SendCompletionAsync(chatId, QwenTestClient.CompletionBody(chatId, "hi there"));
        var raw = await response.Content.ReadAsStringAsync();
        var events = raw.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e["data: ".Length..].TrimEnd()).ToList();

        Assert.Equal(events.Count - 1, events.Count(e => IsJson(e)));
        Assert.False(IsJson(events[2]));
        Assert.Contains("finished", events[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compression_GzipWithAutomaticDecompression_FirstDeltaArrivesBeforeRelease()
    {
        var token = _emu.AddAccount().Token;
        using var client = new QwenTestClient(_emu, token, decompression: DecompressionMethods.GZip);
        var chatId = await client.NewChatAsync();
        var gate = _emu.PauseAfterFirstAnswerDelta(token);

        using var response = await client.SendCompletionAsync(chatId, QwenTestClient.CompletionBody(chatId, "zipped stream"));
        await using var stream = await response.Content.ReadAsStreamAsync();
        await using var events = SseParser.Create(stream).EnumerateAsync().GetAsyncEnumerator();
        await events.MoveNextAsync();
        await events.MoveNextAsync();
        var firstDelta = events.Current.Data;
        gate.Release();
        while (await events.MoveNextAsync()) { }

        Assert.Contains("\"phase\":\"answer\"", firstDelta, StringComparison.Ordinal);
        Assert.Equal("gzip", _emu.Requests.Last(q => q.Token == token).Headers["Accept-Encoding"]);
    }

    [Fact]
    public async Task KeepAliveEvents_Option_SendsResponseInfoBeforeAnswer()
    {
        await using var emu = await QwenEmulator.StartAsync(new QwenEmulatorOptions { KeepAliveEvents = 2 });
        using var client = new QwenTestClient(emu, emu.AddAccount().Token);

        var events = await client.CompleteAsync(await client.NewChatAsync(), "wait");

        Assert.Equal(["keep_alive", "keep_alive"], events.Skip(1).Take(2).Select(e => e.GetProperty("response.info").GetProperty("action").GetString()));
        Assert.Equal("Echo: wait", QwenTestClient.AnswerText(events));
    }

    private async Task<(Caller Client, string ChatId)> NewChatAsync()
    {
        var token = _emu.AddAccount().Token;
        var api = new QwenTestClient(_emu, token);
        _clients.Add(api);
        return (new Caller(token, api), await api.NewChatAsync());
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private static async Task<List<JsonElement>> DecompressedEventsAsync(HttpResponseMessage response, string encoding)
    {
        var raw = await response.Content.ReadAsStreamAsync();
        await using Stream plain = encoding == "br" ? new BrotliStream(raw, CompressionMode.Decompress) : new GZipStream(raw, CompressionMode.Decompress);
        var events = new List<JsonElement>();
        await foreach (var item in SseParser.Create(plain).EnumerateAsync())
            events.Add(JsonDocument.Parse(item.Data).RootElement.Clone());
        return events;
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition());
    }

    private sealed record Caller(string Token, QwenTestClient Api);
}
