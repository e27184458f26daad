using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using QwenFunctions.Accounts;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Chat;

/// <summary>Upstream behaviours seen through the whole app: a busy conversation, and upstreams that end streams with [DONE].</summary>
public sealed class ChatUpstreamBehaviourTests
{
    [Fact]
    public async Task Chat_ContinuedConversationUpstreamSaysChatInProgress_Answers409ConversationBusyAndPenalisesNoAccount()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        var (_, first) = await app.PostJsonAsync("api/chat", new { message = "My name is Ada." });
        var owner = app.Emulator.Chats.Single().OwnerToken;
        app.Emulator.Faults.Enqueue(Fault.Error("CHAT_IN_PROGRESS", "The chat is in progress!"), owner, EmulatorEndpoint.TextCompletion);

        var (response, body) = await Continue(app, first, "What is my name?");

        AssertConversationBusy(response, body);
        Assert.Equal(2, app.Completions().Count); // not retried elsewhere: the conversation lives on its account only
        await AssertNoAccountPenalisedAsync(app);
        var (again, _) = await Continue(app, first, "What is my name?");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Chat_ContinuedWhileAnotherTurnStillStreams_Answers409ConversationBusyAndPenalisesNoAccount()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        var (_, first) = await app.PostJsonAsync("api/chat", new { message = "My name is Ada." });
        app.Emulator.Faults.Enqueue(Fault.StallAfter(1), endpoint: EmulatorEndpoint.TextCompletion);
        using var stalled = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var streaming = await app.PostAsync("api/chat", new
        {
            message = "Tell me a long story.",
            stream = true,
            chatId = first.GetProperty("chatId").GetString(),
            parentId = first.GetProperty("parentId").GetString(),
        }, stalled.Token);
        using var sse = new SseClient(await streaming.Content.ReadAsStreamAsync(stalled.Token));
        await sse.NextDataAsync(stalled.Token); // the upstream turn has begun

        // The emulator's own rule, as chat.qwen.ai: one answer at a time per chat.
        var (response, body) = await Continue(app, first, "And then?");

        AssertConversationBusy(response, body);
        Assert.Equal(3, app.Completions().Count); // the upstream said so; asked once, on the conversation's account
        Assert.Single(app.Emulator.Chats);
        await AssertNoAccountPenalisedAsync(app);
        await stalled.CancelAsync();
    }

    [Fact]
    public async Task ChatCompletions_UpstreamSendsDoneMarker_AnswerIsCompleteAndCorrect()
    {
        await using var app = await EmulatedApp.StartAsync(emulatorOptions: new QwenEmulatorOptions { SendDoneMarker = true });

        var (response, body) = await app.PostJsonAsync("api/v1/chat/completions", new { messages = new[] { new { role = "user", content = "Capital of France?" } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("Echo: Capital of France?", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.True(body.GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 0);
    }

    [Theory]
    [InlineData("api/v1/chat/completions")]
    [InlineData("api/chat")]
    public async Task Stream_UpstreamSendsDoneMarker_AnswerIsCompleteAndEndsWithExactlyOneDone(string path)
    {
        await using var app = await EmulatedApp.StartAsync(emulatorOptions: new QwenEmulatorOptions { SendDoneMarker = true });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        using var response = await app.PostAsync(path, new { messages = new[] { new { role = "user", content = "stream it" } }, stream = true }, cts.Token);
        using var sse = new SseClient(await response.Content.ReadAsStreamAsync(cts.Token));
        var items = (await sse.ReadAllAsync(cts.Token)).Where(i => !i.StartsWith(':')).ToList();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[DONE]", items[^1]);
        Assert.Single(items, i => i == "[DONE]");
        var chunks = items.Where(i => i.StartsWith('{')).Select(SseClient.Json).ToList();
        Assert.Equal(items.Count - 1, chunks.Count);
        Assert.DoesNotContain(chunks, c => c.TryGetProperty("error", out _));
        var text = string.Concat(chunks
            .Where(c => c.GetProperty("choices").GetArrayLength() > 0)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
            .Select(d => d.TryGetProperty("content", out var content) ? content.GetString() : ""));
        Assert.Equal("Echo: stream it", text);
        Assert.Single(chunks, c => c.GetProperty("choices").GetArrayLength() > 0
            && c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind == JsonValueKind.String);
    }

    private static Task<(HttpResponseMessage, JsonElement)> Continue(EmulatedApp app, JsonElement previous, string message) =>
        app.PostJsonAsync("api/chat", new
        {
            message,
            chatId = previous.GetProperty("chatId").GetString(),
            parentId = previous.GetProperty("parentId").GetString(),
        });

    private static void AssertConversationBusy(HttpResponseMessage response, JsonElement body)
    {
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(409, body.GetProperty("status").GetInt32());
        Assert.Equal("conversation_busy", body.GetProperty("code").GetString());
    }

    private static async Task AssertNoAccountPenalisedAsync(EmulatedApp app)
    {
        var pool = app.Server.Services.GetRequiredService<AccountPool>();
        foreach (var account in pool.Accounts)
        {
            var health = await pool.GetHealthAsync(account, default);
            Assert.False(health.Invalid, account.Id);
            Assert.Null(health.ChatCooldownUntil);
        }
    }
}
