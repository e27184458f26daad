using System.Text.Json;
using Anthropic;
using Anthropic.Models.Messages;
using QwenFunctions.Tests.Anthropic;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;
using static QwenFunctions.Tests.Anthropic.AnthropicSdkRequests;

namespace QwenFunctions.Tests.Chat.Continuation;

/// <summary>
/// Anthropic clients always resend the whole conversation, content blocks and all (signed thinking, tool_use). With
/// the official Anthropic SDK over real HTTP: turns that extend the app's own answers continue one upstream chat.
/// </summary>
public sealed class AnthropicContinuationTests
{
    [Fact]
    public async Task Create_ToolUseRoundTripThenAFollowUp_ContinueOneChatWithOnlyTheNewBlocks()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        var client = AnthropicSdkClient.For(app);
        app.Emulator.Script.Enqueue("Checking.", ModelToolCalls.Json("get_weather", """{"city": "Paris"}"""));
        app.Emulator.Script.Enqueue("It is sunny in Paris.");
        app.Emulator.Script.Enqueue("Oslo is cold.");
        var request = Params("Weather in Paris?") with { Tools = [Tool("get_weather")], System = "Be terse." };

        var first = await client.Messages.Create(request);
        var call = first.Content.Select(b => b.TryPickToolUse(out var u) ? u : null).Single(u => u is not null)!;
        List<MessageParam> history = [.. request.Messages, Replay(first), ToolResult(call.ID, "sunny, 21 C")];
        var second = await client.Messages.CreateStreaming(request with { Messages = history }).Aggregate();
        history = [.. history, Replay(second), new UserMessageParam("And Oslo?")];
        var third = await client.Messages.Create(request with { Messages = history });

        Assert.True(third.Content[0].TryPickText(out var text));
        Assert.Equal("Oslo is cold.", text.Text);
        var chat = Assert.Single(app.Emulator.Chats);
        var sent = chat.UserMessages.Select(m => m.Content).ToList();
        Assert.Equal(3, sent.Count);
        Assert.EndsWith("<tool_response>\n{\"name\":\"get_weather\",\"content\":\"sunny, 21 C\"}\n</tool_response>", sent[1]);
        Assert.EndsWith("</system-instructions>\n\nAnd Oslo?", sent[2]);
        Assert.All(sent.Skip(1), s => Assert.DoesNotContain("Weather in Paris?", s));
        Assert.All(sent.Skip(1), s => Assert.DoesNotContain("Be terse.", s)); // the chat has the system text from turn 1
        Assert.All(app.Completions(), r => Assert.Equal(chat.OwnerToken, r.Token));
    }

    [Fact]
    public async Task CreateStreaming_SignedThinkingReplayed_ContinuesTheChat()
    {
        await using var app = await EmulatedApp.StartAsync();
        var client = AnthropicSdkClient.For(app);
        var request = Params("17*19?") with { Thinking = new ThinkingConfigEnabled { BudgetTokens = 1024 } };

        var first = await client.Messages.CreateStreaming(request).Aggregate();
        Assert.True(first.Content[0].TryPickThinking(out _));
        var next = await client.Messages.Create(request with { Messages = [.. request.Messages, Replay(first), new UserMessageParam("And 18*19?")] });

        Assert.Equal(StopReason.EndTurn, next.StopReason!.Value());
        var chat = Assert.Single(app.Emulator.Chats);
        Assert.Equal("And 18*19?", chat.UserMessages[1].Content);
    }

    [Fact]
    public async Task Create_EditedAnswerInTheHistory_IsFoldedIntoANewChat()
    {
        await using var app = await EmulatedApp.StartAsync();
        var client = AnthropicSdkClient.For(app);
        var request = Params("My name is Ada.");
        await client.Messages.Create(request);

        var edited = JsonSerializer.Deserialize<MessageParam>("""{"role":"assistant","content":"Hello Ada, nice to meet you."}""")!;
        var next = await client.Messages.Create(request with { Messages = [.. request.Messages, edited, new UserMessageParam("What is my name?")] });

        Assert.True(next.Content[0].TryPickText(out _));
        Assert.Equal(2, app.Emulator.Chats.Count);
        var folded = Assert.Single(app.Emulator.Chats[1].UserMessages).Content;
        Assert.Contains("Assistant: Hello Ada, nice to meet you.", folded);
        Assert.EndsWith("What is my name?", folded);
    }

    private static MessageParam ToolResult(string id, string content) => JsonSerializer.Deserialize<MessageParam>(
        JsonSerializer.Serialize(new { role = "user", content = new[] { new { type = "tool_result", tool_use_id = id, content } } }))!;
}
