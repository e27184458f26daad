using System.Net;
using System.Text.Json;
using Anthropic;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;
using static QwenFunctions.Tests.Anthropic.AnthropicSdkRequests;

namespace QwenFunctions.Tests.Anthropic;

/// <summary>The official Anthropic .NET SDK against POST /api/v1/messages over real HTTP (base URL …/api, as users set it).</summary>
public sealed class AnthropicSdkMessagesTests
{
    private const string ClientKey = "sk-ant-client-key";

    [Fact]
    public async Task Create_WithXApiKey_AnswersTheUpstreamTextAsAMessage()
    {
        await using var app = await EmulatedApp.StartAsync(settings: s => s["API_KEYS"] = ClientKey);

        var message = await AnthropicSdkClient.For(app, apiKey: ClientKey).Messages.Create(Params("What is 2+2?"));

        Assert.StartsWith("msg_", message.ID);
        Assert.Equal("claude-sonnet-4-5", message.Model.Raw());
        Assert.True(message.Content[0].TryPickText(out var text));
        Assert.Equal("Echo: What is 2+2?", text.Text);
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
        Assert.True(message.Usage.InputTokens > 0);
        Assert.True(message.Usage.OutputTokens > 0);
    }

    [Fact]
    public async Task Create_WithBearerAuthToken_IsAccepted()
    {
        await using var app = await EmulatedApp.StartAsync(settings: s => s["API_KEYS"] = ClientKey);

        var message = await AnthropicSdkClient.For(app, apiKey: null, authToken: ClientKey).Messages.Create(Params("hi"));

        Assert.True(message.Content[0].TryPickText(out _));
    }

    [Fact]
    public async Task Create_WrongKey_SdkRaisesAuthenticationError()
    {
        await using var app = await EmulatedApp.StartAsync(settings: s => s["API_KEYS"] = ClientKey);

        var error = await Assert.ThrowsAsync<AnthropicUnauthorizedException>(() => AnthropicSdkClient.For(app, apiKey: "wrong").Messages.Create(Params("hi")));

        Assert.Contains("authentication_error", error.ResponseBody);
        Assert.Empty(app.Completions());
    }

    [Fact]
    public async Task CreateStreaming_Aggregated_GivesTheSameMessageAndEventsInOrder()
    {
        await using var app = await EmulatedApp.StartAsync();
        var events = new List<RawMessageStreamEvent>();

        await foreach (var ev in AnthropicSdkClient.For(app).Messages.CreateStreaming(Params("Hello there")))
        {
            events.Add(ev);
        }

        Assert.True(events[0].TryPickStart(out var start));
        Assert.True(start.Message.Usage.InputTokens > 0);
        Assert.True(events[^1].TryPickStop(out _));
        Assert.True(events[^2].TryPickDelta(out var delta));
        Assert.Equal(StopReason.EndTurn, delta.Delta.StopReason!.Value());
        var text = string.Concat(events.Select(e => e.TryPickContentBlockDelta(out var d) && d.Delta.TryPickText(out var t) ? t.Text : ""));
        Assert.Equal("Echo: Hello there", text);
    }

    [Fact]
    public async Task CreateStreaming_Thinking_SignedThinkingBlockComesBackAndVerifies()
    {
        await using var app = await EmulatedApp.StartAsync();
        var client = AnthropicSdkClient.For(app);
        var request = Params("17*19?") with { Thinking = new ThinkingConfigEnabled { BudgetTokens = 1024 } };

        var message = await client.Messages.CreateStreaming(request).Aggregate();

        Assert.True(message.Content[0].TryPickThinking(out var thinking));
        Assert.Contains("Thought", thinking.Thinking);
        Assert.NotEmpty(thinking.Signature);
        Assert.True(message.Content[1].TryPickText(out _));
        var reader = app.Server.Services.GetService(typeof(global::QwenFunctions.Anthropic.ThinkingSignature)) as global::QwenFunctions.Anthropic.ThinkingSignature;
        Assert.True(reader!.Verify(thinking.Thinking, thinking.Signature));

        // The next turn replays the signed thinking, as Claude clients do; it is accepted and never sent upstream.
        var next = await client.Messages.Create(request with
        {
            Messages = [.. request.Messages, Replay(message), new UserMessageParam("And 18*19?")],
        });
        Assert.Equal(StopReason.EndTurn, next.StopReason!.Value());
        Assert.DoesNotContain(thinking.Thinking, app.Completions()[^1].Body);
    }

    [Fact]
    public async Task Create_ToolUseRoundTrip_CallComesBackAsToolUseAndTheResultGoesUpstream()
    {
        await using var app = await EmulatedApp.StartAsync();
        var client = AnthropicSdkClient.For(app);
        app.Emulator.Script.Enqueue("Checking.", ModelToolCalls.Json("get_weather", """{"city": "Paris"}"""));
        app.Emulator.Script.Enqueue("It is sunny in Paris.");
        var request = Params("Weather in Paris?") with { Tools = [Tool("get_weather")] };

        var first = await client.Messages.Create(request);

        Assert.Equal(StopReason.ToolUse, first.StopReason!.Value());
        var call = first.Content.Select(b => b.TryPickToolUse(out var u) ? u : null).Single(u => u is not null)!;
        Assert.Equal("get_weather", call.Name);
        Assert.StartsWith("toolu_", call.ID);
        Assert.Equal("Paris", call.Input["city"].GetString());

        var result = JsonSerializer.Deserialize<MessageParam>(
            $$"""{"role":"user","content":[{"type":"tool_result","tool_use_id":"{{call.ID}}","content":"sunny, 21 C"}]}""")!;
        var second = await client.Messages.Create(request with { Messages = [.. request.Messages, Replay(first), result] });

        Assert.Equal(StopReason.EndTurn, second.StopReason!.Value());
        var upstream = app.Completions()[^1].Body;
        Assert.Contains("tool_response", upstream); // the body is JSON: the tag brackets may be escaped
        Assert.Contains("sunny, 21 C", upstream);
    }

    [Fact]
    public async Task Create_EveryAccountCoolingDown_Is529OverloadedWithRetryAfter()
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Faults.SetSticky(app.Accounts[0].Token, Fault.RateLimited(num: 3));

        var error = await Assert.ThrowsAsync<AnthropicOverloadedException>(() => AnthropicSdkClient.For(app).Messages.Create(Params("hi")));

        Assert.Equal(529, (int)error.StatusCode);
        var body = JsonDocument.Parse(error.ResponseBody).RootElement;
        Assert.Equal("overloaded_error", body.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task CreateStreaming_UpstreamBreaksOffMidAnswer_SdkRaisesTheInBandError()
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Faults.Enqueue(Fault.CutAfter(1), endpoint: EmulatorEndpoint.TextCompletion);
        var seen = new List<RawMessageStreamEvent>();

        var error = await Assert.ThrowsAsync<AnthropicSseException>(async () =>
        {
            await foreach (var ev in AnthropicSdkClient.For(app).Messages.CreateStreaming(Params("a long answer please")))
            {
                seen.Add(ev);
            }
        });

        Assert.True(seen[0].TryPickStart(out _));
        Assert.DoesNotContain(seen, e => e.TryPickStop(out _));
        Assert.Contains("api_error", error.Message);
    }

    [Fact]
    public async Task CountTokens_AnswersAnEstimateWithoutAnUpstreamCall()
    {
        await using var app = await EmulatedApp.StartAsync();

        var count = await AnthropicSdkClient.For(app).Messages.CountTokens(new MessageCountTokensParams
        {
            Model = "claude-sonnet-4-5",
            Messages = [new UserMessageParam("How many tokens is this sentence, roughly?")],
        });

        Assert.InRange(count.InputTokens, 5, 40);
        Assert.Empty(app.Completions());
    }
}
