using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using QwenFunctions.Accounts;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Accounts;

/// <summary>Refresh-token accounts (issue 10): minted before first use, refreshed ahead of expiry, once, and after a refusal.</summary>
public sealed class RefreshTokenTests
{
    private static readonly object Hello = new { messages = new[] { new { role = "user", content = "Hello" } } };
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Chats_ShortLivedTokensOverFiveLifetimesOnTwoAccounts_NoFailureAndRefreshesBoundedByTheLifetime()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        await using var app = await StartAsync(time, refreshAccounts: 2);

        var failures = 0;
        for (var minute = 0; minute < 5 * Lifetime.TotalMinutes; minute++)
        {
            for (var i = 0; i < 4; i++)
            {
                var (response, _) = await app.PostJsonAsync("api/v1/chat/completions", Hello);
                failures += response.IsSuccessStatusCode ? 0 : 1;
            }

            time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(0, failures);
        Assert.All(app.Emulator.Refreshes, r => Assert.True(r.Accepted));
        foreach (var account in app.RefreshAccounts)
        {
            // A token minted at t is refreshed at t + lifetime - margin (8 minutes): 50 minutes need 7 mints, not 200.
            var refreshes = app.Emulator.Refreshes.Count(r => r.Account == account);
            Assert.InRange(refreshes, 5, 8);
        }

        Assert.Equal(200, app.Completions().Count);
    }

    [Fact]
    public async Task Chats_ManyAtOnceOnAnAccountWithoutAToken_MintOnce()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        await using var app = await StartAsync(time, refreshAccounts: 1);

        var first = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => app.PostJsonAsync("api/v1/chat/completions", Hello)));
        time.Advance(Lifetime);
        var afterExpiry = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => app.PostJsonAsync("api/v1/chat/completions", Hello)));

        Assert.All(first.Concat(afterExpiry), r => Assert.Equal(HttpStatusCode.OK, r.Response.StatusCode));
        Assert.Equal(2, app.Emulator.Refreshes.Count);
    }

    [Fact]
    public async Task Chat_AccessTokenRefusedWithThe2026Body_RefreshesOnceAndRetriesTheSameAccount()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        await using var emulator = await QwenEmulator.StartAsync(new QwenEmulatorOptions { TimeProvider = time, AccessTokenLifetime = Lifetime });
        var other = emulator.AddAccount();
        var account = emulator.AddRefreshAccount();
        var pasted = emulator.MintAccessToken(account);
        await using var server = await FunctionsTestServer.StartAsync(new Dictionary<string, string?>(TestSettings.For(emulator))
        {
            ["Qwen:AuthBaseUrl"] = emulator.AuthBaseAddress.ToString(),
            ["Qwen:Accounts:0:Token"] = pasted,
            ["Qwen:Accounts:0:RefreshToken"] = account.RefreshToken,
            ["Qwen:Accounts:1:Token"] = other.Token,
        }, o => o.ConfigureServices = s => s.AddSingleton<TimeProvider>(time));
        emulator.Faults.Enqueue(Fault.ExpiredToken2026(), pasted, EmulatorEndpoint.ChatsNew);

        var response = await server.Client.PostAsync("api/v1/chat/completions", JsonBody(Hello));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var chatsNew = emulator.Requests.Where(r => r.Path == "/api/v2/chats/new").ToArray();
        Assert.Equal(2, chatsNew.Length);
        Assert.Equal(pasted, chatsNew[0].Token);
        Assert.NotEqual(pasted, chatsNew[1].Token);
        Assert.DoesNotContain(emulator.Requests, r => r.Token == other.Token); // no rotation
        Assert.Single(emulator.Refreshes);
        var pool = server.Services.GetRequiredService<AccountPool>();
        Assert.False((await pool.GetHealthAsync(pool.Accounts[0], default)).Invalid);
    }

    [Fact]
    public async Task Chats_RefreshTokenRefused_InvalidatesOnlyThatAccountAsRefreshFailedAndRequestsMoveOn()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        await using var app = await StartAsync(time, refreshAccounts: 2);
        app.Emulator.FailRefresh(app.RefreshAccounts[0]);

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            responses.Add((await app.PostJsonAsync("api/v1/chat/completions", Hello)).Response);
        }

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var status = await StatusAsync(app);
        var failed = Account(status, app.RefreshAccounts[0]);
        var working = Account(status, app.RefreshAccounts[1]);
        Assert.True(failed.GetProperty("invalid").GetBoolean());
        Assert.Equal(AccountHealth.RefreshFailedReason, failed.GetProperty("invalidReason").GetString());
        Assert.Equal("rejected", failed.GetProperty("lastRefreshOutcome").GetString());
        Assert.Equal(1, failed.GetProperty("refreshFailures").GetInt32());
        Assert.False(working.GetProperty("invalid").GetBoolean());
        Assert.Equal("ok", working.GetProperty("lastRefreshOutcome").GetString());
        Assert.Single(app.Emulator.Refreshes, r => r.Account == app.RefreshAccounts[0]); // invalid accounts are not retried
    }

    [Fact]
    public async Task Status_RefreshAccountAfterARotation_ShowsKindExpiryRefreshAndFingerprintButNoSecret()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        await using var app = await StartAsync(time, refreshAccounts: 1, accessAccounts: 1);

        await app.PostJsonAsync("api/v1/chat/completions", Hello);
        await app.PostJsonAsync("api/v1/chat/completions", Hello);
        var text = await app.Http.GetStringAsync("api/status");
        var status = JsonDocument.Parse(text).RootElement;

        var refresh = Account(status, app.RefreshAccounts[0]);
        Assert.Equal("refresh", refresh.GetProperty("credential").GetString());
        Assert.Equal(time.GetUtcNow() + Lifetime, refresh.GetProperty("tokenExpiresAt").GetDateTimeOffset());
        Assert.Equal(time.GetUtcNow(), refresh.GetProperty("lastRefreshAt").GetDateTimeOffset());
        Assert.Equal("ok", refresh.GetProperty("lastRefreshOutcome").GetString());
        Assert.Equal(0, refresh.GetProperty("refreshFailures").GetInt32());
        Assert.True(refresh.GetProperty("refreshTokenRotated").GetBoolean());
        Assert.Equal(RefreshRecord.RotatedFingerprint(app.RefreshAccounts[0].RefreshToken!), refresh.GetProperty("refreshTokenFingerprint").GetString());
        var access = status.GetProperty("accounts").EnumerateArray().Single(a => a.GetProperty("credential").GetString() == "access");
        Assert.False(access.GetProperty("refreshTokenRotated").GetBoolean());
        Assert.Equal(JsonValueKind.Null, access.GetProperty("lastRefreshAt").ValueKind);
        Assert.All(app.Emulator.IssuedSecrets, secret => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Chat_AccountsSectionWithARefreshTokenOnly_MintsFromIt()
    {
        await using var emulator = await QwenEmulator.StartAsync();
        var account = emulator.AddRefreshAccount();
        await using var server = await FunctionsTestServer.StartAsync(new Dictionary<string, string?>(TestSettings.For(emulator))
        {
            ["QWEN_AUTH_BASE_URL"] = emulator.AuthBaseAddress.ToString(),
            ["Qwen:Accounts:0:RefreshToken"] = account.RefreshToken,
        });

        var response = await server.Client.PostAsync("api/v1/chat/completions", JsonBody(Hello));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var refresh = Assert.Single(emulator.Refreshes);
        Assert.Equal(account.FirstRefreshToken, refresh.SentToken);
        var sent = emulator.Requests.First(r => r.Path.EndsWith("/auths/refresh", StringComparison.Ordinal));
        Assert.Equal("same-site", sent.Headers["sec-fetch-site"]);
        Assert.Equal(emulator.BaseAddress.ToString().TrimEnd('/'), sent.Headers["x-request-origin"]);
        Assert.Equal(QwenAccount.Fingerprint(account.FirstRefreshToken!), server.Services.GetRequiredService<AccountPool>().Accounts[0].Id);
    }

    [Fact]
    public async Task Pool_RefreshTokenReplacedInTheSettingsAfterARefusal_TheNewOneStartsValid()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["QWEN_REFRESH_TOKENS"] = "rt-signed-out" })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddQwen(configuration);
        await using var provider = services.BuildServiceProvider();
        var pool = provider.GetRequiredService<AccountPool>();
        await pool.InvalidateAsync(pool.Accounts[0], AccountHealth.RefreshFailedReason, default);

        // A new sign-in gives a new refresh token: the account id is its fingerprint, so no old mark applies.
        configuration["QWEN_REFRESH_TOKENS"] = "rt-signed-in-again";
        configuration.Reload();

        var account = Assert.Single(pool.Accounts);
        Assert.Equal(QwenAccount.Fingerprint("rt-signed-in-again"), account.Id);
        Assert.False((await pool.GetHealthAsync(account, default)).Invalid);
    }

    private static Task<EmulatedApp> StartAsync(FakeTimeProvider time, int refreshAccounts, int accessAccounts = 0) =>
        EmulatedApp.StartAsync(
            accounts: accessAccounts,
            refreshAccounts: refreshAccounts,
            services: s => s.AddSingleton<TimeProvider>(time),
            emulatorOptions: new QwenEmulatorOptions { TimeProvider = time, AccessTokenLifetime = Lifetime, RotateRefreshTokens = true });

    private static async Task<JsonElement> StatusAsync(EmulatedApp app) =>
        JsonDocument.Parse(await app.Http.GetStringAsync("api/status")).RootElement.Clone();

    private static JsonElement Account(JsonElement status, EmulatorAccount account) =>
        status.GetProperty("accounts").EnumerateArray().Single(a => a.GetProperty("id").GetString() == QwenAccount.Fingerprint(account.FirstRefreshToken!));

    private static StringContent JsonBody(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}
