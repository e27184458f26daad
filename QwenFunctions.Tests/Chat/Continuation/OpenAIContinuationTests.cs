using System.ClientModel;
using System.Text;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;
using QwenFunctions.Tests.Tools;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;
using ChatMessage = OpenAI.Chat.ChatMessage;

namespace QwenFunctions.Tests.Chat.Continuation;

/// <summary>
/// Chat completions clients resend the whole history every turn. When it extends an answer the app produced, the turn
/// continues that upstream chat with only the new messages; otherwise (edited, gone, account unusable) it is folded.
/// Official OpenAI SDK and Microsoft.Extensions.AI over real HTTP against the emulator.
/// </summary>
public sealed class OpenAIContinuationTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CompleteChat_ThreeTurnsResendingTheHistory_ContinueOneUpstreamChatWithOnlyTheNewMessage(bool streaming)
    {
        // Two accounts: a turn that were folded into a new chat would go to the other account in turn.
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        var client = OpenAIToolCallSdkTests.Client(app);
        List<ChatMessage> history = [new SystemChatMessage("Be terse."), new UserChatMessage("My name is Ada.")];

        foreach (var next in new[] { "What is my name?", "Spell it." })
        {
            history.Add(await AskAsync(client, history, streaming));
            history.Add(new UserChatMessage(next));
        }

        var last = await AskAsync(client, history, streaming);

        Assert.Equal("Echo: Spell it.", last.Content[0].Text);
        var chat = Assert.Single(app.Emulator.Chats);
        Assert.Equal(["What is my name?", "Spell it."], chat.UserMessages.Skip(1).Select(m => m.Content));
        Assert.Equal(chat.AssistantMessages.Take(2).Select(m => m.Id), chat.UserMessages.Skip(1).Select(m => m.ParentId));
        Assert.All(app.Completions(), r => Assert.Equal(chat.OwnerToken, r.Token));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FunctionInvokingChatClient_ToolLoopAndAFollowUp_SendOnlyTheToolResultAndTheNewQuestion(bool streaming)
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Script.Enqueue(ScriptedAnswer.Split("Let me look.\n" + ModelToolCalls.Json("get_weather", """{"city": "Paris"}"""), 4));
        app.Emulator.Script.Enqueue("It is 21C and sunny in Paris.");
        app.Emulator.Script.Enqueue("Tomorrow looks the same.");
        var weather = AIFunctionFactory.Create((string city) => $"21C and sunny in {city}", "get_weather", "Current weather of a city");
        using var client = new ChatClientBuilder(OpenAIToolCallSdkTests.Client(app).AsIChatClient()).UseFunctionInvocation().Build();
        var options = new ChatOptions { Tools = [weather] };
        List<AIChatMessage> history = [new(ChatRole.User, "What is the weather in Paris?")];

        history.AddRange((await GetAsync(client, history, options, streaming)).Messages);
        history.Add(new AIChatMessage(ChatRole.User, "And tomorrow?"));
        var followUp = await GetAsync(client, history, options, streaming);

        Assert.Equal("Tomorrow looks the same.", followUp.Messages[^1].Text);
        var chat = Assert.Single(app.Emulator.Chats);
        var sent = chat.UserMessages.Select(m => m.Content).ToList();
        Assert.Equal(3, sent.Count);
        Assert.EndsWith("<tool_response>\n{\"name\":\"get_weather\",\"content\":\"21C and sunny in Paris\"}\n</tool_response>", sent[1]);
        Assert.EndsWith("</system-instructions>\n\nAnd tomorrow?", sent[2]); // the tools are described on every turn that may call them
        Assert.All(sent.Skip(1), s => Assert.DoesNotContain("What is the weather in Paris?", s));
        Assert.All(sent.Skip(1), s => Assert.DoesNotContain("<conversation-history>", s));
    }

    [Fact]
    public async Task CompleteChat_ManualToolCallsReplayedWithNullContent_ContinueTheChat()
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Script.Enqueue(ModelToolCalls.Json("get_weather", """{"city": "Paris"}"""));
        app.Emulator.Script.Enqueue("It is 21C in Paris.");
        var client = OpenAIToolCallSdkTests.Client(app);
        var options = new ChatCompletionOptions { Tools = { OpenAIToolCallSdkTests.Weather } };
        List<ChatMessage> history = [new UserChatMessage("Weather in Paris?")];

        ChatCompletion first = await client.CompleteChatAsync(history, options);
        var call = Assert.Single(first.ToolCalls);
        history.Add(new AssistantChatMessage(first.ToolCalls)); // content null, as SDKs send a calls-only turn
        history.Add(new ToolChatMessage(call.Id, "21C, sunny"));
        ChatCompletion second = await client.CompleteChatAsync(history, options);

        Assert.Equal("It is 21C in Paris.", second.Content[0].Text);
        var chat = Assert.Single(app.Emulator.Chats);
        Assert.EndsWith("<tool_response>\n{\"name\":\"get_weather\",\"content\":\"21C, sunny\"}\n</tool_response>", chat.UserMessages[1].Content);
        Assert.DoesNotContain("Weather in Paris?", chat.UserMessages[1].Content);
    }

    [Fact]
    public async Task CompleteChat_EditedEarlierTurn_IsFoldedIntoANewChat()
    {
        await using var app = await EmulatedApp.StartAsync();
        var client = OpenAIToolCallSdkTests.Client(app);
        ChatCompletion first = await client.CompleteChatAsync([new UserChatMessage("My name is Ada.")]);

        ChatCompletion second = await client.CompleteChatAsync(
            [new UserChatMessage("My name is Bob."), new AssistantChatMessage(first), new UserChatMessage("What is my name?")]);

        Assert.StartsWith("Echo: ", second.Content[0].Text);
        Assert.Equal(2, app.Emulator.Chats.Count);
        var folded = Assert.Single(app.Emulator.Chats[1].UserMessages).Content;
        Assert.Contains("<conversation-history>", folded);
        Assert.Contains("My name is Bob.", folded);
        Assert.EndsWith("What is my name?", folded);
    }

    // "chat busy": two turns that extend the same history at once continue the same answer; the upstream takes one.
    public static TheoryData<string> Gone => ["chat deleted upstream", "stale parent", "account revoked", "chat busy"];

    [Theory]
    [MemberData(nameof(Gone))]
    public async Task CompleteChat_ContinuedChatUnusable_FoldsTheWholeHistoryInsteadOfFailing(string what)
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        var client = OpenAIToolCallSdkTests.Client(app);
        ChatCompletion first = await client.CompleteChatAsync([new UserChatMessage("My name is Ada.")]);
        var original = MakeUnusable(app, what);

        ChatCompletion second = await client.CompleteChatAsync(
            [new UserChatMessage("My name is Ada."), new AssistantChatMessage(first), new UserChatMessage("What is my name?")]);

        Assert.StartsWith("Echo: ", second.Content[0].Text);
        Assert.Equal(3, app.Completions().Count); // turn 1, the continuation the upstream refused, the folded turn
        var folded = Assert.Single(app.Emulator.Chats[^1].UserMessages).Content;
        Assert.NotSame(original, app.Emulator.Chats[^1]);
        Assert.Contains("<conversation-history>\nUser: My name is Ada.", folded);
        Assert.EndsWith("What is my name?", folded);
    }

    [Theory]
    [MemberData(nameof(Gone))]
    public async Task CompleteChatStreaming_ContinuedChatUnusable_FoldsTheWholeHistoryInsteadOfFailing(string what)
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        var client = OpenAIToolCallSdkTests.Client(app);
        ChatCompletion first = await client.CompleteChatAsync([new UserChatMessage("My name is Ada.")]);
        var original = MakeUnusable(app, what);

        var second = await AskAsync(client, [new UserChatMessage("My name is Ada."), new AssistantChatMessage(first), new UserChatMessage("What is my name?")], streaming: true);

        Assert.StartsWith("Echo: ", second.Content[0].Text);
        var folded = Assert.Single(app.Emulator.Chats[^1].UserMessages).Content;
        Assert.NotSame(original, app.Emulator.Chats[^1]);
        Assert.Contains("<conversation-history>\nUser: My name is Ada.", folded);
        Assert.EndsWith("What is my name?", folded);
    }

    [Fact]
    public async Task CompleteChat_HistoryLongerThanTheMessageCap_StillContinuesWhileOnlyTheNewTurnGoesUpstream()
    {
        await using var app = await EmulatedApp.StartAsync(settings: s => s["Proxy:MaxUpstreamMessageBytes"] = "4096");
        var client = OpenAIToolCallSdkTests.Client(app);
        var longQuestion = "Summarise: " + new string('a', 2500);
        ChatCompletion first = await client.CompleteChatAsync([new UserChatMessage(longQuestion)]);

        // Folded, this history (the question and its echo) is over the cap; continued, only "Shorter?" goes upstream.
        ChatCompletion second = await client.CompleteChatAsync([new UserChatMessage(longQuestion), new AssistantChatMessage(first), new UserChatMessage("Shorter?")]);
        var edited = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync(
            [new UserChatMessage(longQuestion + "!"), new AssistantChatMessage(first), new UserChatMessage("Shorter?")]));

        Assert.Equal("Echo: Shorter?", second.Content[0].Text);
        Assert.Equal(400, edited.Status);
        Assert.Contains("context_length_exceeded", edited.Message);
        Assert.Contains("4096-byte limit", edited.Message);
    }

    private static async Task<AssistantChatMessage> AskAsync(ChatClient client, List<ChatMessage> history, bool streaming)
    {
        if (!streaming)
        {
            return new AssistantChatMessage(await client.CompleteChatAsync(history));
        }

        var text = new StringBuilder();
        await foreach (var update in client.CompleteChatStreamingAsync(history))
        {
            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
        }

        return new AssistantChatMessage(text.ToString());
    }

    private static async Task<ChatResponse> GetAsync(IChatClient client, List<AIChatMessage> history, ChatOptions options, bool streaming)
    {
        if (!streaming)
        {
            return await client.GetResponseAsync(history, options);
        }

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(history, options))
        {
            updates.Add(update);
        }

        return updates.ToChatResponse();
    }

    /// <summary>Makes the one upstream chat so far unusable in the way <paramref name="what"/> names; returns it.</summary>
    private static EmulatorChat MakeUnusable(EmulatedApp app, string what)
    {
        var original = Assert.Single(app.Emulator.Chats);
        switch (what)
        {
            case "chat deleted upstream":
                original.Deleted = true;
                break;
            case "stale parent":
                app.Emulator.Faults.Enqueue(Fault.StaleParent(original.AssistantMessages[0].Id), endpoint: EmulatorEndpoint.TextCompletion);
                break;
            case "chat busy":
                app.Emulator.Faults.Enqueue(Fault.ChatInProgress2026(), endpoint: EmulatorEndpoint.TextCompletion);
                break;
            default:
                app.Emulator.Revoke(original.OwnerToken);
                break;
        }

        return original;
    }
}
