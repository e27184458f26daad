using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace QwenFunctions.Tests.Emulator;

/// <summary>The emulator's auth host (docs/upstream.md §3.3, §10.1), with a plain HttpClient.</summary>
public sealed class QwenEmulatorAuthTests
{
    [Fact]
    public async Task Refresh_RotationOn_ReturnsANewRefreshTokenAndRetiresTheOldOne()
    {
        await using var emulator = await QwenEmulator.StartAsync();
        var account = emulator.AddRefreshAccount();
        var first = account.RefreshToken!;

        var (status, body, setCookie) = await RefreshAsync(emulator, first);
        var rotated = body.GetProperty("data").GetProperty("refresh_token").GetString()!;
        var (retiredStatus, retiredBody, _) = await RefreshAsync(emulator, first);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotEqual(first, rotated);
        Assert.Contains($"refresh_token={rotated};", setCookie, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, retiredStatus);
        Assert.Equal("Unauthorized", retiredBody.GetProperty("data").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(emulator, rotated)).Status);
    }

    [Fact]
    public async Task Refresh_RotationOff_KeepsTheSameRefreshToken()
    {
        await using var emulator = await QwenEmulator.StartAsync(new QwenEmulatorOptions { RotateRefreshTokens = false });
        var account = emulator.AddRefreshAccount();

        var (_, body, _) = await RefreshAsync(emulator, account.RefreshToken!);

        Assert.Equal(account.RefreshToken, body.GetProperty("data").GetProperty("refresh_token").GetString());
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(emulator, account.RefreshToken!)).Status);
    }

    [Fact]
    public async Task ChatsNew_MintedAccessTokenPastItsExp_AnswersThe2026UnauthorizedBody()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        await using var emulator = await QwenEmulator.StartAsync(new QwenEmulatorOptions { TimeProvider = time, AccessTokenLifetime = TimeSpan.FromMinutes(15) });
        var account = emulator.AddRefreshAccount();
        var (_, body, _) = await RefreshAsync(emulator, account.RefreshToken!);
        using var client = new QwenTestClient(emulator, body.GetProperty("data").GetProperty("access_token").GetString()!);

        var fresh = await client.NewChatAsync();
        time.Advance(TimeSpan.FromMinutes(15));
        var expired = await client.Http.PostAsync("api/v2/chats/new", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.NotEmpty(fresh);
        Assert.Equal(HttpStatusCode.OK, expired.StatusCode);
        Assert.Equal("""{"code":"unauthorized"}""", await expired.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Refresh_FailRefresh_RefusesEveryLaterRefreshOfThatAccountOnly()
    {
        await using var emulator = await QwenEmulator.StartAsync();
        var failing = emulator.AddRefreshAccount();
        var working = emulator.AddRefreshAccount();

        emulator.FailRefresh(failing);

        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(emulator, failing.RefreshToken!)).Status);
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(emulator, working.RefreshToken!)).Status);
        Assert.Equal([false, true], emulator.Refreshes.Select(r => r.Accepted));
    }

    [Fact]
    public async Task ChatAnswer_AccountWithAnswerCookies_SetsThemOnEveryAnswer()
    {
        await using var emulator = await QwenEmulator.StartAsync();
        var account = emulator.AddAccount();
        account.AnswerSetCookies = ["acw_tc=abc; Path=/; HttpOnly"];
        using var client = new QwenTestClient(emulator, account.Token);

        var response = await client.Http.PostAsync("api/v2/chats/new", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Contains("acw_tc=abc; Path=/; HttpOnly", response.Headers.GetValues("Set-Cookie"));
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body, string SetCookie)> RefreshAsync(QwenEmulator emulator, string refreshToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = emulator.AuthBaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v2/auths/refresh");
        request.Headers.Add("Cookie", $"refresh_token={refreshToken}");
        request.Headers.Add("source", "web");
        request.Headers.Add("version", "0.3.12");
        request.Headers.Add("x-request-origin", "https://chat.qwen.ai");
        using var response = await http.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return (response.StatusCode, body, response.Headers.TryGetValues("Set-Cookie", out var cookies) ? string.Join("\n", cookies) : "");
    }
}
