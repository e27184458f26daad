using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using QwenFunctions.Accounts;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Chat;

/// <summary>The 2026 upstream bodies and streams (docs/upstream.md §10.1, §10.3, §10.5), seen through the whole app.</summary>
public sealed class UpstreamDrift2026Tests
{
    private static readonly object Hello = new { messages = new[] { new { role = "user", content = "Hello" } } };

    [Fact]
    public async Task ChatCompletions_LowercaseUnauthorizedInHttp200_InvalidatesThatAccountAndAnswersFromAnother()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        app.Emulator.Faults.SetSticky(app.Accounts[0].Token, Fault.ExpiredToken2026(), EmulatorEndpoint.ChatsNew);

        for (var i = 0; i < 2; i++)
        {
            var (response, body) = await app.PostJsonAsync("api/v1/chat/completions", Hello);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Echo: Hello", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        }

        var health = await HealthAsync(app, app.Accounts[0].Token);
        Assert.True(health.Invalid);
        Assert.False((await HealthAsync(app, app.Accounts[1].Token)).Invalid);
    }

    [Fact]
    public async Task Chat_ContinuedConversationUpstreamSaysTheChatIsInProgressAsBadRequest_Answers409WithoutPenalty()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        var (_, first) = await app.PostJsonAsync("api/chat", new { message = "My name is Ada." });
        app.Emulator.Faults.Enqueue(Fault.ChatInProgress2026(), app.Emulator.Chats.Single().OwnerToken, EmulatorEndpoint.TextCompletion);

        var (response, body) = await Continue(app, first, first.GetProperty("parentId").GetString()!);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("conversation_busy", body.GetProperty("code").GetString());
        await AssertNoAccountPenalisedAsync(app);
    }

    [Fact]
    public async Task Chat_StaleParentId_Answers400ParentNotFoundWithoutPenaltyOrRotation()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        var (_, first) = await app.PostJsonAsync("api/chat", new { message = "My name is Ada." });

        var (response, body) = await Continue(app, first, Guid.NewGuid().ToString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("parent_not_found", body.GetProperty("code").GetString());
        Assert.Equal("parentId", body.GetProperty("param").GetString());
        Assert.Equal(2, app.Completions().Count);
        await AssertNoAccountPenalisedAsync(app);
    }

    [Fact]
    public async Task ChatCompletions_ScriptedStaleParentBody_IsAClient4xxNotAnUpstreamFailure()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        app.Emulator.Faults.Enqueue(Fault.StaleParent(Guid.NewGuid().ToString()), endpoint: EmulatorEndpoint.TextCompletion);

        var (response, body) = await app.PostJsonAsync("api/v1/chat/completions", Hello);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("parent_not_found", body.GetProperty("error").GetProperty("code").GetString());
        await AssertNoAccountPenalisedAsync(app);
    }

    [Fact]
    public async Task ChatCompletions_AntiBotInternalErrorRefusal_RotatesToAnotherAccountWithoutPenalty()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        app.Emulator.Faults.Enqueue(Fault.AntiBotRefusal(), endpoint: EmulatorEndpoint.TextCompletion);

        var (response, body) = await app.PostJsonAsync("api/v1/chat/completions", Hello);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Echo: Hello", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(2, app.Completions().Select(c => c.Token).Distinct().Count());
        await AssertNoAccountPenalisedAsync(app);
    }

    [Fact]
    public async Task ChatCompletions_InStreamQuotaErrorBeforeAnyAnswer_CoolsThatAccountDownAndAnswersFromAnother()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        app.Emulator.Faults.Enqueue(Fault.QuotaExceededInStream(), endpoint: EmulatorEndpoint.TextCompletion);

        var (response, body) = await app.PostJsonAsync("api/v1/chat/completions", Hello);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Echo: Hello", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        var limited = app.Completions()[0].Token!;
        Assert.NotNull((await HealthAsync(app, limited)).ChatCooldownUntil);
        Assert.False((await HealthAsync(app, limited)).Invalid);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ChatCompletions_StreamWithTwoAnswers_KeepsOnlyResponseIndexZero(bool stream)
    {
        await using var app = await EmulatedApp.StartAsync(emulatorOptions: new QwenEmulatorOptions { AnswerDeltaCount = 4 });
        app.Emulator.Faults.Enqueue(Fault.DualAnswer(), endpoint: EmulatorEndpoint.TextCompletion);

        var text = await AnswerTextAsync(app, "api/v1/chat/completions", "Two answers please", stream);

        Assert.Equal("Echo: Two answers please", text);
    }

    [Theory]
    [InlineData("api/v1/chat/completions")]
    [InlineData("api/chat")]
    public async Task Stream_UnknownPhasesBetweenAnswerDeltas_NeitherEndNorCorruptTheAnswer(string path)
    {
        await using var app = await EmulatedApp.StartAsync(emulatorOptions: new QwenEmulatorOptions { AnswerDeltaCount = 5 });
        app.Emulator.Faults.Enqueue(Fault.UnknownPhases(), endpoint: EmulatorEndpoint.TextCompletion);

        var text = await AnswerTextAsync(app, path, "Use your tools", stream: true);

        Assert.Equal("Echo: Use your tools", text);
    }

    [Fact]
    public async Task Chat_NativeContinuationAfterDualAnswerStream_ParentIsTheFirstAnswer()
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Faults.Enqueue(Fault.DualAnswer(), endpoint: EmulatorEndpoint.TextCompletion);
        var (_, first) = await app.PostJsonAsync("api/chat", new { message = "My name is Ada." });

        var (response, body) = await Continue(app, first, first.GetProperty("parentId").GetString()!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(app.Emulator.Chats.Single().Messages.First(m => m.Role == "assistant").Id, first.GetProperty("parentId").GetString());
        Assert.StartsWith("Echo: ", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    private static async Task<string> AnswerTextAsync(EmulatedApp app, string path, string prompt, bool stream)
    {
        var request = new { messages = new[] { new { role = "user", content = prompt } }, stream };
        if (!stream)
        {
            var (response, body) = await app.PostJsonAsync(path, request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var streamed = await app.PostAsync(path, request, cts.Token);
        using var sse = new SseClient(await streamed.Content.ReadAsStreamAsync(cts.Token));
        var items = (await sse.ReadAllAsync(cts.Token)).Where(i => !i.StartsWith(':')).ToList();
        Assert.Equal("[DONE]", items[^1]);
        var chunks = items.Where(i => i.StartsWith('{')).Select(SseClient.Json).ToList();
        Assert.DoesNotContain(chunks, c => c.TryGetProperty("error", out _));
        return string.Concat(chunks
            .Where(c => c.GetProperty("choices").GetArrayLength() > 0)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
            .Select(d => d.TryGetProperty("content", out var content) ? content.GetString() : ""));
    }

    private static Task<(HttpResponseMessage, JsonElement)> Continue(EmulatedApp app, JsonElement previous, string parentId) =>
        app.PostJsonAsync("api/chat", new { message = "What is my name?", chatId = previous.GetProperty("chatId").GetString(), parentId });

    private static ValueTask<AccountHealth> HealthAsync(EmulatedApp app, string token)
    {
        var pool = app.Server.Services.GetRequiredService<AccountPool>();
        return pool.GetHealthAsync(pool.Accounts.Single(a => a.Token == token), default);
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
