using System.Text.Json;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.OpenAI;

/// <summary>Thinking switches (model variant, enable_thinking, reasoning_effort) and the three reasoning output modes.</summary>
public sealed class ChatCompletionsThinkingTests
{
    [Fact]
    public async Task Stream_ThinkingVariant_SendsReasoningContentBeforeAnswer()
    {
        await using var app = await EmulatedApp.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        using var response = await app.PostAsync("api/v1/chat/completions", ChatCompletionsStreamingTests.Body("17*19?", model: "qwen3.6-plus-thinking"), cts.Token);
        using var sse = new SseClient(await response.Content.ReadAsStreamAsync(cts.Token));
        var deltas = (await sse.ReadAllAsync(cts.Token)).Where(i => i.StartsWith('{')).Select(SseClient.Json)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta")).ToList();

        Assert.True(UpstreamThinking(app));
        Assert.Equal("qwen3.6-plus", app.Emulator.Chats.Single().Model);
        var firstReasoning = deltas.FindIndex(d => d.TryGetProperty("reasoning_content", out _));
        var firstAnswer = deltas.FindIndex(d => d.TryGetProperty("content", out var c) && c.GetString() is { Length: > 0 });
        Assert.InRange(firstReasoning, 0, firstAnswer - 1);
        Assert.Contains("Thought 1", string.Concat(deltas.Where(d => d.TryGetProperty("reasoning_content", out _)).Select(d => d.GetProperty("reasoning_content").GetString())));
    }

    [Fact]
    public async Task Complete_ThinkTagsMode_InlinesReasoningInContent()
    {
        await using var app = await EmulatedApp.StartAsync(settings: s => s["Proxy:ReasoningOutput"] = "ThinkTags");

        var (_, body) = await app.PostJsonAsync("api/v1/chat/completions", Request("qwen3.6-plus-thinking"));

        var message = body.GetProperty("choices")[0].GetProperty("message");
        var content = message.GetProperty("content").GetString()!;
        Assert.StartsWith("<think>\n", content);
        Assert.Contains("Thought 1", content);
        Assert.EndsWith("</think>\n\nEcho: why?", content);
        Assert.False(message.TryGetProperty("reasoning_content", out _));
    }

    [Fact]
    public async Task Stream_ThinkTagsMode_OpensAndClosesThinkTagInContentDeltas()
    {
        await using var app = await EmulatedApp.StartAsync(settings: s => s["Proxy:ReasoningOutput"] = "ThinkTags");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        using var response = await app.PostAsync("api/v1/chat/completions", ChatCompletionsStreamingTests.Body("why?", model: "qwen3.6-plus-thinking"), cts.Token);
        using var sse = new SseClient(await response.Content.ReadAsStreamAsync(cts.Token));
        var text = string.Concat((await sse.ReadAllAsync(cts.Token)).Where(i => i.StartsWith('{')).Select(SseClient.Json)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
            .Select(d => d.TryGetProperty("content", out var c) ? c.GetString() : null));

        Assert.StartsWith("<think>\n", text);
        Assert.EndsWith("\n</think>\n\nEcho: why?", text);
    }

    [Fact]
    public async Task Complete_ReasoningOff_DropsReasoning()
    {
        await using var app = await EmulatedApp.StartAsync(settings: s => s["Proxy:ReasoningOutput"] = "Off");

        var (_, body) = await app.PostJsonAsync("api/v1/chat/completions", Request("qwen3.6-plus-thinking"));

        var message = body.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal("Echo: why?", message.GetProperty("content").GetString());
        Assert.False(message.TryGetProperty("reasoning_content", out _));
    }

    [Fact]
    public async Task Complete_DefaultMode_ReturnsReasoningContentAndReasoningTokens()
    {
        await using var app = await EmulatedApp.StartAsync();

        var (_, body) = await app.PostJsonAsync("api/v1/chat/completions", Request("qwen3.6-plus-thinking"));

        var message = body.GetProperty("choices")[0].GetProperty("message");
        Assert.Contains("Thought 1", message.GetProperty("reasoning_content").GetString());
        Assert.True(body.GetProperty("usage").GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task Complete_EnableThinkingFalse_WinsOverThinkingVariant()
    {
        await using var app = await EmulatedApp.StartAsync();

        await app.PostJsonAsync("api/v1/chat/completions", new { model = "qwen3.6-plus-thinking", enable_thinking = false, messages = new[] { new { role = "user", content = "why?" } } });

        Assert.False(UpstreamThinking(app));
    }

    [Theory]
    [InlineData("high", true)]
    [InlineData("none", false)]
    public async Task Complete_ReasoningEffort_SwitchesThinking(string effort, bool expected)
    {
        await using var app = await EmulatedApp.StartAsync();

        await app.PostJsonAsync("api/v1/chat/completions", new { model = "qwen3.6-plus", reasoning_effort = effort, messages = new[] { new { role = "user", content = "why?" } } });

        Assert.Equal(expected, UpstreamThinking(app));
    }

    [Fact]
    public async Task Complete_PlainModel_SendsThinkingOff()
    {
        await using var app = await EmulatedApp.StartAsync();

        await app.PostJsonAsync("api/v1/chat/completions", Request("qwen3.6-plus"));

        Assert.False(UpstreamThinking(app));
    }

    private static object Request(string model) => new { model, messages = new[] { new { role = "user", content = "why?" } } };

    private static bool UpstreamThinking(EmulatedApp app) =>
        app.Emulator.Chats.Single().UserMessages.Single().FeatureConfig!.Value.GetProperty("thinking_enabled").ValueKind == JsonValueKind.True;
}
