using System.Net;
using System.Text;
using System.Text.Json;
using QwenFunctions.Accounts;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Accounts;

/// <summary>Per-account cookie jars (issue 10): what the upstream sets comes back on that account's calls only.</summary>
public sealed class CookieJarTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly string Hello = JsonSerializer.Serialize(new { messages = new[] { new { role = "user", content = "Hello" } } });

    [Fact]
    public void HeaderFor_SetCookies_AddToAndReplaceTheConfiguredCookies()
    {
        var jar = new AccountCookieJar();

        jar.Absorb(["acw_tc=new; Path=/; HttpOnly", "x-ap=\"quoted\"; Secure"], Now);

        Assert.Equal("cna=1; acw_tc=new; x-ap=quoted", jar.HeaderFor("cna=1; acw_tc=old"));
    }

    [Theory]
    [InlineData("acw_tc=; Path=/")]
    [InlineData("acw_tc=gone; Max-Age=0")]
    [InlineData("acw_tc=gone; Max-Age=-1")]
    [InlineData("acw_tc=gone; Expires=Thu, 01 Jan 1970 00:00:00 GMT")]
    public void HeaderFor_DeletingSetCookie_RemovesTheCookieAlsoAConfiguredOne(string deleting)
    {
        var jar = new AccountCookieJar();
        jar.Absorb(["acw_tc=set; Path=/", "isg=keep"], Now);

        jar.Absorb([deleting], Now);

        Assert.Equal("cna=1; isg=keep", jar.HeaderFor("cna=1; acw_tc=configured"));
        Assert.Equal(1, jar.Count);
    }

    [Fact]
    public void HeaderFor_AskedBetweenSetCookies_AlwaysReflectsTheLatestValues()
    {
        var jar = new AccountCookieJar();
        jar.Absorb(["acw_tc=one"], Now);
        Assert.Equal("cna=1; acw_tc=one", jar.HeaderFor("cna=1"));
        Assert.Equal("cna=1; acw_tc=one", jar.HeaderFor("cna=1"));

        jar.Absorb(["acw_tc=one", "isg=two"], Now);
        Assert.Equal("cna=1; acw_tc=one; isg=two", jar.HeaderFor("cna=1"));

        jar.Absorb(["acw_tc=; Path=/"], Now);
        Assert.Equal("cna=1; isg=two", jar.HeaderFor("cna=1"));
        Assert.Equal("cna=2; isg=two", jar.HeaderFor("cna=2"));
    }

    [Fact]
    public void Absorb_TokenAndRefreshTokenCookies_AreNeverKept()
    {
        var jar = new AccountCookieJar();

        jar.Absorb(["token=eyJ.new.jwt; Path=/", "refresh_token=rt-new; HttpOnly", "=nameless"], Now);

        Assert.Null(jar.HeaderFor(null));
    }

    [Fact]
    public async Task Chats_UpstreamSetsAndLaterDeletesACookieOnOneAccount_ItGoesBackToThatAccountOnly()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        var (first, second) = (app.Accounts[0], app.Accounts[1]);
        first.AnswerSetCookies = ["acw_tc=first-only; Path=/; HttpOnly"];

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await app.PostAsync("api/v1/chat/completions", Hello)).StatusCode);
        }

        first.AnswerSetCookies = ["acw_tc=; Max-Age=0; Path=/"];
        Assert.Equal(HttpStatusCode.OK, (await app.PostAsync("api/v1/chat/completions", Hello)).StatusCode); // lands on one of them
        Assert.Equal(HttpStatusCode.OK, (await app.PostAsync("api/v1/chat/completions", Hello)).StatusCode);
        first.AnswerSetCookies = [];
        app.Emulator.ClearRequests();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await app.PostAsync("api/v1/chat/completions", Hello)).StatusCode);
        }

        Assert.DoesNotContain(app.Emulator.Requests, r => Cookie(r).Contains("acw_tc", StringComparison.Ordinal));
        Assert.Contains(app.Emulator.Requests, r => r.Token == first.Token);
    }

    [Fact]
    public async Task Chats_UpstreamSetsACookie_LaterCallsOfThatAccountCarryItAndTheOtherAccountsNever()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        var (first, second) = (app.Accounts[0], app.Accounts[1]);
        first.AnswerSetCookies = ["acw_tc=first-only; Path=/; HttpOnly"];

        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await app.PostAsync("api/v1/chat/completions", Hello)).StatusCode);
        }

        var firstCalls = app.Emulator.Requests.Where(r => r.Token == first.Token).ToArray();
        Assert.DoesNotContain("acw_tc", Cookie(firstCalls[0]), StringComparison.Ordinal); // before the upstream set it
        Assert.All(firstCalls.Skip(1), r => Assert.Contains("acw_tc=first-only", Cookie(r), StringComparison.Ordinal));
        Assert.All(app.Emulator.Requests.Where(r => r.Token == second.Token), r => Assert.DoesNotContain("acw_tc", Cookie(r), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Chats_AuthHostSetsACookieOnARefresh_TheAccountsChatCallsCarryIt()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 1, refreshAccounts: 1);
        app.RefreshAccounts[0].AuthSetCookies = ["ssxmod_itna=from-auth; Domain=.qwen.ai; Path=/"];

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await app.PostAsync("api/v1/chat/completions", Hello)).StatusCode);
        }

        var chatCalls = app.Emulator.Requests.Where(r => r.Path.StartsWith("/api/", StringComparison.Ordinal) && r.Token is not null).ToArray();
        Assert.All(chatCalls.Where(r => r.Token == app.Accounts[0].Token), r => Assert.DoesNotContain("ssxmod_itna", Cookie(r), StringComparison.Ordinal));
        var refreshAccountCalls = chatCalls.Where(r => r.Token != app.Accounts[0].Token).ToArray();
        Assert.NotEmpty(refreshAccountCalls);
        Assert.All(refreshAccountCalls, r => Assert.Contains("ssxmod_itna=from-auth", Cookie(r), StringComparison.Ordinal));
    }

    private static string Cookie(RecordedRequest request) => request.Headers.TryGetValue("Cookie", out var cookie) ? cookie : "";
}
