using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using QwenFunctions.Accounts;
using QwenFunctions.Configuration;
using QwenFunctions.Http;
using QwenFunctions.Upstream;

namespace QwenFunctions.Tests.Accounts;

public sealed class AccountPoolTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task AcquireAsync_SeveralAccounts_RotatesRoundRobin()
    {
        var pool = Pool("a", "b", "c");

        var picked = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            picked.Add((await pool.AcquireAsync(QwenFeature.Chat, new HashSet<string>(), default)).Token!);
        }

        Assert.Equal(["a", "b", "c", "a", "b", "c"], picked);
    }

    [Fact]
    public async Task AcquireAsync_AccountCoolingForChat_StillServesImages()
    {
        var pool = Pool("a");
        await pool.CoolDownAsync(pool.Accounts[0], QwenFeature.Chat, TimeSpan.FromHours(2), "RateLimited", default);

        var image = await pool.AcquireAsync(QwenFeature.Image, new HashSet<string>(), default);
        var chat = await Assert.ThrowsAsync<ApiException>(() => pool.AcquireAsync(QwenFeature.Chat, new HashSet<string>(), default).AsTask());

        Assert.Equal("a", image.Token);
        Assert.Equal(HttpStatusCode.TooManyRequests, chat.Status);
        Assert.Equal(TimeSpan.FromHours(2), chat.RetryAfter);
        Assert.False(chat.ShouldRetry);
    }

    [Fact]
    public async Task AcquireAsync_CooldownElapsed_AccountReturns()
    {
        var pool = Pool("a");
        await pool.CoolDownAsync(pool.Accounts[0], QwenFeature.Chat, TimeSpan.FromHours(5), "RateLimited", default);

        _time.Advance(TimeSpan.FromHours(5) + TimeSpan.FromSeconds(1));

        Assert.Equal("a", (await pool.AcquireAsync(QwenFeature.Chat, new HashSet<string>(), default)).Token);
    }

    [Fact]
    public async Task AcquireAsync_AllCooling_RetryAfterIsSoonestRecovery()
    {
        var pool = Pool("a", "b");
        await pool.CoolDownAsync(pool.Accounts[0], QwenFeature.Chat, TimeSpan.FromHours(7), "RateLimited", default);
        await pool.CoolDownAsync(pool.Accounts[1], QwenFeature.Chat, TimeSpan.FromHours(3), "RateLimited", default);

        var error = await Assert.ThrowsAsync<ApiException>(() => pool.AcquireAsync(QwenFeature.Chat, new HashSet<string>(), default).AsTask());

        Assert.Equal(TimeSpan.FromHours(3), error.RetryAfter);
        Assert.Equal("insufficient_quota", error.Code);
    }

    [Fact]
    public async Task AcquireAsync_NoTokens_Answers503NamingTheSetting()
    {
        var pool = Pool();

        var error = await Assert.ThrowsAsync<ApiException>(() => pool.AcquireAsync(QwenFeature.Chat, new HashSet<string>(), default).AsTask());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.Status);
        Assert.Contains("QWEN_TOKENS", error.Message);
    }

    [Fact]
    public async Task AcquireAsync_AllInvalid_Answers503NoValidAccounts()
    {
        var pool = Pool("a");
        await pool.InvalidateAsync(pool.Accounts[0], "401", default);

        var error = await Assert.ThrowsAsync<ApiException>(() => pool.AcquireAsync(QwenFeature.Video, new HashSet<string>(), default).AsTask());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.Status);
        Assert.Equal("no_valid_accounts", error.Code);
    }

    [Fact]
    public void Accounts_TokensFromBothSettings_CombinedWithoutDuplicates()
    {
        var pool = new AccountPool(Monitor(new QwenOptions { Tokens = "token-alpha, token-beta", Token = "token-beta", Accounts = [new AccountSettings { Token = "token-gamma", Cookies = "x=1" }] }),
            new InMemoryAccountHealthStore(), _time, NullLogger<AccountPool>.Instance);

        Assert.Equal(["token-gamma", "token-alpha", "token-beta"], pool.Accounts.Select(a => a.Token));
        Assert.Equal("x=1", pool.Accounts[0].Cookies);
        Assert.All(pool.Accounts, a => Assert.DoesNotContain(a.Token!, a.Id));
    }

    internal AccountPool Pool(params string[] tokens) =>
        new(Monitor(new QwenOptions { Tokens = string.Join(',', tokens) }), new InMemoryAccountHealthStore(), _time, NullLogger<AccountPool>.Instance);

    internal static IOptionsMonitor<T> Monitor<T>(T value) where T : class => new StaticOptionsMonitor<T>(value);

    private sealed class StaticOptionsMonitor<T>(T value) : IOptionsMonitor<T> where T : class
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
