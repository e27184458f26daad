using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using QwenFunctions.Accounts;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Accounts;

/// <summary>Invalidation is not forever and not free text: issue 14's "Invalidation is forever" bullet, over HTTP.</summary>
public sealed class InvalidationTests
{
    private static readonly object Hello = new { messages = new[] { new { role = "user", content = "Hello" } } };

    [Theory]
    [InlineData("Bad_Request")]
    [InlineData("Access_Denied")] // a code the classifier does not know: only the text is left, and text never invalidates
    public async Task ChatCompletions_UpstreamErrorTextMentionsUnauthorized_NoAccountIsInvalidated(string code)
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        app.Emulator.Faults.Enqueue(Fault.Error(code, "Unauthorized access to attachment", 400), endpoint: EmulatorEndpoint.ChatsNew);

        await app.PostJsonAsync("api/v1/chat/completions", Hello);

        Assert.Equal(0, await InvalidCountAsync(app));
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task ChatCompletions_GatewayErrorPageInFrontOfTheUpstream_NoAccountIsInvalidated(int status)
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        app.Emulator.Faults.Enqueue(Fault.GatewayPage(status), endpoint: EmulatorEndpoint.ChatsNew);

        await app.PostJsonAsync("api/v1/chat/completions", Hello);
        await app.PostJsonAsync("api/v1/chat/completions", Hello);

        Assert.Equal(0, await InvalidCountAsync(app));
    }

    [Fact]
    public async Task ChatCompletions_EveryAccountTriedAnswersUnauthorized_OneRequestInvalidatesAtMostOneAccount()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 3);
        foreach (var account in app.Accounts)
        {
            app.Emulator.Faults.SetSticky(account.Token, Fault.Unauthorized(), EmulatorEndpoint.ChatsNew);
        }

        var (response, _) = await app.PostJsonAsync("api/v1/chat/completions", Hello);

        Assert.False(response.IsSuccessStatusCode);
        Assert.Equal(3, app.Emulator.Requests.Count(r => r.Path == "/api/v2/chats/new"));
        Assert.Equal(1, await InvalidCountAsync(app));
    }

    [Fact]
    public async Task Status_InvalidAccount_SaysWhyAndSinceWhen()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        app.Emulator.Faults.Enqueue(Fault.ExpiredToken2026(), app.Accounts[0].Token, EmulatorEndpoint.ChatsNew);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        await app.PostJsonAsync("api/v1/chat/completions", Hello);
        await app.PostJsonAsync("api/v1/chat/completions", Hello);
        var status = JsonDocument.Parse(await app.Http.GetStringAsync("api/status")).RootElement;

        var invalid = Assert.Single(status.GetProperty("accounts").EnumerateArray(), a => a.GetProperty("invalid").GetBoolean());
        Assert.Equal(QwenAccount.Fingerprint(app.Accounts[0].Token), invalid.GetProperty("id").GetString());
        Assert.StartsWith("unauthorized", invalid.GetProperty("invalidReason").GetString());
        var since = invalid.GetProperty("invalidSince").GetDateTimeOffset();
        Assert.InRange(since, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.DoesNotContain(app.Accounts[0].Token, status.GetRawText(), StringComparison.Ordinal);
    }

    private static async Task<int> InvalidCountAsync(EmulatedApp app)
    {
        var pool = app.Server.Services.GetRequiredService<AccountPool>();
        var count = 0;
        foreach (var account in pool.Accounts)
        {
            count += (await pool.GetHealthAsync(account, default)).Invalid ? 1 : 0;
        }

        return count;
    }
}
