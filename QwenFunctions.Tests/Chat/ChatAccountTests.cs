using System.Net;
using Microsoft.Extensions.DependencyInjection;
using QwenFunctions.Accounts;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Chat;

/// <summary>The account pool as a chat client sees it: rotation, cooldown, invalidation, bounded attempts, exhaustion.</summary>
public sealed class ChatAccountTests
{
    [Fact]
    public async Task Chat_ConsecutiveRequests_RotateAcrossAccounts()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2);

        await Ask(app, "one");
        await Ask(app, "two");

        Assert.Equal(2, app.Emulator.Chats.Select(c => c.OwnerToken).Distinct().Count());
    }

    [Fact]
    public async Task Chat_RateLimitedWithNum_CoolsAccountForNumHoursAndAnswersFromAnother()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        var limited = app.Accounts[0].Token;
        app.Emulator.Faults.Enqueue(Fault.RateLimited(num: 5), limited, EmulatorEndpoint.TextCompletion);

        // Round robin would start the third request on the limited account again.
        var answers = new[] { await Ask(app, "one"), await Ask(app, "two"), await Ask(app, "three") };

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Item1.StatusCode));
        Assert.Single(app.Completions(limited)); // never tried again while cooling down
        var health = await Health(app, limited);
        Assert.InRange(health.ChatCooldownUntil!.Value - DateTimeOffset.UtcNow, TimeSpan.FromHours(4.9), TimeSpan.FromHours(5));
    }

    [Fact]
    public async Task Chat_UnauthorizedAccount_IsInvalidatedAndAnotherAnswers()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        var revoked = app.Accounts[0].Token;
        app.Emulator.Revoke(revoked);

        var (response, _) = await Ask(app, "hello");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await Health(app, revoked)).Invalid);
        Assert.All(app.Emulator.Chats, c => Assert.NotEqual(revoked, c.OwnerToken));
    }

    [Fact]
    public async Task Chat_EveryAccountRateLimited_Returns429WithRetryAfterAndNoRetryHint()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        foreach (var account in app.Accounts)
        {
            app.Emulator.Faults.SetSticky(account.Token, Fault.RateLimited(num: 2), EmulatorEndpoint.TextCompletion);
        }

        var (response, body) = await Ask(app, "hello");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("false", response.Headers.GetValues("x-should-retry").Single());
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromHours(1.9), TimeSpan.FromHours(2));
        Assert.Equal("insufficient_quota", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(2, app.Completions().Count);
    }

    [Fact]
    public async Task Chat_UpstreamFailingEverywhere_StopsAfterMaxAttempts()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 3, settings: s => s["Qwen:Cooldowns:MaxAttempts"] = "2");
        foreach (var account in app.Accounts)
        {
            app.Emulator.Faults.SetSticky(account.Token, Fault.HttpStatus(502), EmulatorEndpoint.TextCompletion);
        }

        var (response, body) = await Ask(app, "hello");

        Assert.True((int)response.StatusCode >= 500);
        Assert.Equal(2, app.Completions().Count);
        Assert.Equal("server_error", body.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Chat_EmptyStreamOnFirstAccount_RetriesOnAnotherBeforeAnyByte()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        app.Emulator.Faults.Enqueue(Fault.EmptyStream(), app.Accounts[0].Token, EmulatorEndpoint.TextCompletion);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        using var response = await app.PostAsync("api/v1/chat/completions", OpenAI.ChatCompletionsStreamingTests.Body("retry me"), cts.Token);
        using var sse = new SseClient(await response.Content.ReadAsStreamAsync(cts.Token));
        var items = await sse.ReadAllAsync(cts.Token);

        Assert.Equal("[DONE]", items[^1]);
        Assert.Equal(2, app.Completions().Count);
        Assert.DoesNotContain(items, i => i.Contains("\"error\"", StringComparison.Ordinal));
    }

    private static Task<(HttpResponseMessage, System.Text.Json.JsonElement)> Ask(EmulatedApp app, string prompt) =>
        app.PostJsonAsync("api/v1/chat/completions", new { messages = new[] { new { role = "user", content = prompt } } });

    private static async Task<AccountHealth> Health(EmulatedApp app, string token)
    {
        var pool = app.Server.Services.GetRequiredService<AccountPool>();
        return await pool.GetHealthAsync(pool.Accounts.Single(a => a.Token == token), default);
    }
}
