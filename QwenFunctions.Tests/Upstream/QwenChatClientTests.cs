using QwenFunctions.Tests.Emulator;
using QwenFunctions.Upstream;

namespace QwenFunctions.Tests.Upstream;

public sealed class QwenChatClientTests(QwenEmulatorFixture fx) : IClassFixture<QwenEmulatorFixture>
{
    [Fact]
    public async Task StreamAsync_PlainAnswer_YieldsCreatedDeltasUsageAndFinish()
    {
        using var harness = new UpstreamClientHarness(fx.Emulator);
        var account = UpstreamClientHarness.Account(fx.Emulator.AddAccount().Token);

        var events = await harness.AskAsync(account, "hello there");

        Assert.IsType<QwenResponseCreated>(events[0]);
        Assert.Equal("Echo: hello there", string.Concat(events.OfType<QwenAnswerDelta>().Select(d => d.Text)));
        Assert.True(events.OfType<QwenAnswerDelta>().Count() > 1);
        Assert.IsType<QwenAnswerFinished>(events[^1]);
        Assert.True(events.OfType<QwenUsage>().Last().OutputTokens > 0);
    }

    [Fact]
    public async Task StreamAsync_ThinkingOn_EmitsOnlyNewSummaryTextAndEndsOnAnswerNotOnThinkingFinish()
    {
        using var harness = new UpstreamClientHarness(fx.Emulator);
        var account = UpstreamClientHarness.Account(fx.Emulator.AddAccount().Token);

        var events = await harness.AskAsync(account, "17*19?", thinking: true);

        var reasoning = string.Concat(events.OfType<QwenReasoningDelta>().Select(r => r.Text));
        var lines = reasoning.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.Equal(lines.Length, lines.Distinct().Count()); // cumulative snapshots are not repeated
        Assert.Equal("Echo: 17*19?", string.Concat(events.OfType<QwenAnswerDelta>().Select(d => d.Text)));
        Assert.True(events.FindIndex(e => e is QwenReasoningDelta) < events.FindIndex(e => e is QwenAnswerDelta));
    }

    [Fact]
    public async Task StreamAsync_SendsBrowserHeaderSetAndBothCredentialForms()
    {
        using var harness = new UpstreamClientHarness(fx.Emulator, ("Qwen:Browser:Version", "9.9.9"));
        var token = fx.Emulator.AddAccount().Token;

        await harness.AskAsync(UpstreamClientHarness.Account(token, "ssxmod_itna=abc"), "headers please");

        var request = fx.Emulator.Requests.Last(r => r.Path == "/api/v2/chat/completions" && r.Token == token);
        Assert.Equal($"Bearer {token}", request.Headers["Authorization"]);
        Assert.Equal($"token={token}; ssxmod_itna=abc", request.Headers["Cookie"]);
        Assert.Equal("9.9.9", request.Headers["version"]);
        Assert.Equal("web", request.Headers["source"]);
        Assert.True(Guid.TryParse(request.Headers["x-request-id"], out _));
        Assert.Matches(@"^\w{3} \w{3} \d{2} \d{4} \d{2}:\d{2}:\d{2} GMT[+-]\d{4}$", request.Headers["timezone"]);
        Assert.Equal("no", request.Headers["x-accel-buffering"]);
        Assert.Equal("cors", request.Headers["sec-fetch-mode"]);
        Assert.Contains("/c/", request.Headers["Referer"]);
        Assert.Contains("\"output_schema\":\"phase\"", request.Body);
    }

    [Fact]
    public async Task StreamAsync_ParentIdOfPreviousAnswer_ContinuesTheSameChat()
    {
        using var harness = new UpstreamClientHarness(fx.Emulator);
        var account = UpstreamClientHarness.Account(fx.Emulator.AddAccount().Token);
        var chatId = await harness.Api.CreateChatAsync(account, "qwen3.6-plus", "t2t", default);

        var first = await harness.AskAsync(account, "one", chatId: chatId);
        var responseId = first.OfType<QwenResponseCreated>().Single().ResponseId;
        var second = await harness.AskAsync(account, "two", chatId: chatId, parentId: responseId);

        Assert.Equal("Echo: two", string.Concat(second.OfType<QwenAnswerDelta>().Select(d => d.Text)));
        Assert.Equal(2, fx.Emulator.GetChat(chatId)!.UserMessages.Count);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task StreamAsync_CompressedStream_IsDecoded(string encoding)
    {
        using var harness = new UpstreamClientHarness(fx.Emulator);
        var token = fx.Emulator.AddAccount().Token;
        fx.Emulator.Faults.Enqueue(Fault.Encoding(encoding), token, EmulatorEndpoint.TextCompletion);

        var events = await harness.AskAsync(UpstreamClientHarness.Account(token), "squeeze");

        Assert.Equal("Echo: squeeze", string.Concat(events.OfType<QwenAnswerDelta>().Select(d => d.Text)));
    }

    public static TheoryData<string, UpstreamErrorKind, double?> Faults => new()
    {
        { "rate-limited-200", UpstreamErrorKind.RateLimited, 7 },
        { "rate-limited-429", UpstreamErrorKind.RateLimited, 7 },
        { "rate-limited-in-stream", UpstreamErrorKind.RateLimited, 7 },
        { "unauthorized-200", UpstreamErrorKind.Unauthorized, null },
        { "unauthorized-401", UpstreamErrorKind.Unauthorized, null },
        { "waf-json", UpstreamErrorKind.Waf, null },
        { "waf-html", UpstreamErrorKind.Waf, null },
        { "data-inspection", UpstreamErrorKind.ContentFilter, null },
        { "internal-error", UpstreamErrorKind.Transient, null },
        { "empty-stream", UpstreamErrorKind.EmptyStream, null },
        { "cut-mid-way", UpstreamErrorKind.StreamInterrupted, null },
        { "http-500", UpstreamErrorKind.Transient, null },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task StreamAsync_UpstreamFault_ThrowsClassifiedError(string fault, UpstreamErrorKind kind, double? hours)
    {
        using var harness = new UpstreamClientHarness(fx.Emulator);
        var token = fx.Emulator.AddAccount().Token;
        var account = UpstreamClientHarness.Account(token);
        var chatId = await harness.Api.CreateChatAsync(account, "qwen3.6-plus", "t2t", default);
        fx.Emulator.Faults.Enqueue(fault switch
        {
            "rate-limited-200" => Fault.RateLimited(7),
            "rate-limited-429" => Fault.RateLimited(7, asHttpStatus: true),
            "rate-limited-in-stream" => Fault.RateLimited(7, inStream: true),
            "unauthorized-200" => Fault.Unauthorized(),
            "unauthorized-401" => Fault.Unauthorized(asHttpStatus: true),
            "waf-json" => Fault.WafJson(),
            "waf-html" => Fault.WafHtml(),
            "data-inspection" => Fault.DataInspectionFailed(),
            "internal-error" => Fault.InternalError(),
            "empty-stream" => Fault.EmptyStream(),
            "cut-mid-way" => Fault.CutAfter(1),
            _ => Fault.HttpStatus(500),
        }, token, EmulatorEndpoint.TextCompletion);

        var error = await Assert.ThrowsAsync<QwenUpstreamException>(() => harness.AskAsync(account, "boom", chatId: chatId));

        Assert.Equal(kind, error.Kind);
        if (hours is not null)
        {
            Assert.Equal(hours, error.RetryAfterHours);
        }

        Assert.DoesNotContain(token, error.Message);
    }

    [Fact]
    public async Task StreamAsync_StallAfterFirstDelta_TimesOutOnIdle()
    {
        using var harness = new UpstreamClientHarness(fx.Emulator, ("Qwen:Timeouts:Idle", "00:00:00.500"));
        var token = fx.Emulator.AddAccount().Token;
        fx.Emulator.Faults.Enqueue(Fault.StallAfter(1), token, EmulatorEndpoint.TextCompletion);

        var error = await Assert.ThrowsAsync<QwenUpstreamException>(() => harness.AskAsync(UpstreamClientHarness.Account(token), "stall"));

        Assert.Equal(UpstreamErrorKind.Timeout, error.Kind);
    }

    [Fact]
    public async Task StreamAsync_SlowFirstByte_TimesOutOnFirstByte()
    {
        using var harness = new UpstreamClientHarness(fx.Emulator, ("Qwen:Timeouts:FirstByte", "00:00:00.500"));
        var token = fx.Emulator.AddAccount().Token;
        fx.Emulator.Faults.Enqueue(Fault.SlowFirstByte(TimeSpan.FromSeconds(30)), token, EmulatorEndpoint.TextCompletion);

        var error = await Assert.ThrowsAsync<QwenUpstreamException>(() => harness.AskAsync(UpstreamClientHarness.Account(token), "slow"));

        Assert.Equal(UpstreamErrorKind.Timeout, error.Kind);
    }

    [Fact]
    public async Task GetModelsAsync_ListsActiveModelsWithCapabilities()
    {
        using var harness = new UpstreamClientHarness(fx.Emulator);

        var models = await harness.Api.GetModelsAsync(null, default);

        Assert.NotEmpty(models);
        Assert.Contains(models, m => m.Thinking);
        Assert.All(models, m => Assert.False(string.IsNullOrEmpty(m.Id)));
    }
}
