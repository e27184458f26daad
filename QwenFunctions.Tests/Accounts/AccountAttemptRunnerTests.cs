using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using QwenFunctions.Accounts;
using QwenFunctions.Configuration;
using QwenFunctions.Http;
using QwenFunctions.Tests.Hosting;
using QwenFunctions.Upstream;

namespace QwenFunctions.Tests.Accounts;

public sealed class AccountAttemptRunnerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task RunAsync_RateLimitedWithNum_CoolsDownForNumHoursAndRotates()
    {
        var (pool, runner) = Create("a", "b");
        var tried = new List<string>();

        var (value, account) = await runner.RunAsync(QwenFeature.Chat, null, (acc, _) =>
        {
            tried.Add(acc.Token!);
            return tried.Count == 1
                ? throw new QwenUpstreamException(UpstreamErrorKind.RateLimited, "limit") { RetryAfterHours = 19 }
                : Task.FromResult("ok");
        }, default);

        Assert.Equal("ok", value);
        Assert.Equal(2, tried.Distinct().Count());
        var health = await pool.GetHealthAsync(pool.Accounts.Single(a => a.Token == tried[0]), default);
        Assert.Equal(_time.GetUtcNow().AddHours(19), health.ChatCooldownUntil);
        Assert.Null(health.ImageCooldownUntil);
        Assert.NotEqual(tried[0], account.Token);
    }

    [Fact]
    public async Task RunAsync_RateLimitedWithoutNum_UsesDefaultCooldown()
    {
        var (pool, runner) = Create("a", "b");
        var calls = 0;

        await runner.RunAsync(QwenFeature.Video, null, (_, _) =>
            ++calls == 1 ? throw new QwenUpstreamException(UpstreamErrorKind.RateLimited, "limit") : Task.FromResult(1), default);

        var cooled = await Task.WhenAll(pool.Accounts.Select(a => pool.GetHealthAsync(a, default).AsTask()));
        Assert.Contains(cooled, h => h.VideoCooldownUntil == _time.GetUtcNow().AddHours(24));
    }

    [Fact]
    public async Task RunAsync_Unauthorized_InvalidatesAndServesFromAnotherAccount()
    {
        var (pool, runner) = Create("a", "b");
        var first = "";

        var (_, account) = await runner.RunAsync(QwenFeature.Chat, null, (acc, _) =>
        {
            if (first.Length == 0)
            {
                first = acc.Token;
                throw new QwenUpstreamException(UpstreamErrorKind.Unauthorized, "401");
            }

            return Task.FromResult(0);
        }, default);

        Assert.NotEqual(first, account.Token);
        Assert.True((await pool.GetHealthAsync(pool.Accounts.Single(a => a.Token == first), default)).Invalid);
    }

    [Fact]
    public async Task RunAsync_EveryAccountLimited_StopsAtThreeAttemptsAndAnswers429()
    {
        var (_, runner) = Create("a", "b", "c", "d", "e");
        var attempts = 0;

        var error = await Assert.ThrowsAsync<ApiException>(() => runner.RunAsync<int>(QwenFeature.Chat, null, (_, _) =>
        {
            attempts++;
            throw new QwenUpstreamException(UpstreamErrorKind.RateLimited, "limit") { RetryAfterHours = 2 };
        }, default));

        Assert.Equal(3, attempts);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.Status); // two accounts are still untried, so not "exhausted"
    }

    [Fact]
    public async Task RunAsync_WholePoolLimited_Answers429WithSoonestRetryAfterAndNoRetry()
    {
        var (_, runner) = Create("a", "b");
        var hours = new Queue<double>([5, 2]);

        var error = await Assert.ThrowsAsync<ApiException>(() => runner.RunAsync<int>(QwenFeature.Chat, null, (_, _) =>
            throw new QwenUpstreamException(UpstreamErrorKind.RateLimited, "limit") { RetryAfterHours = hours.Dequeue() }, default));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.Status);
        Assert.Equal(TimeSpan.FromHours(2), error.RetryAfter);
        Assert.False(error.ShouldRetry);
    }

    [Fact]
    public async Task RunAsync_PoolOfOne_NeverMoreAttemptsThanAccounts()
    {
        var (_, runner) = Create("a");
        var attempts = 0;

        await Assert.ThrowsAsync<ApiException>(() => runner.RunAsync<int>(QwenFeature.Chat, null, (_, _) =>
        {
            attempts++;
            throw new QwenUpstreamException(UpstreamErrorKind.Transient, "502");
        }, default));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task RunAsync_ContentFilter_FailsWithoutRotationAs400()
    {
        var (pool, runner) = Create("a", "b");
        var attempts = 0;

        var error = await Assert.ThrowsAsync<ApiException>(() => runner.RunAsync<int>(QwenFeature.Chat, null, (_, _) =>
        {
            attempts++;
            throw new QwenUpstreamException(UpstreamErrorKind.ContentFilter, "data_inspection_failed");
        }, default));

        Assert.Equal(1, attempts);
        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Equal("content_filter", error.Code);
        Assert.All(await Task.WhenAll(pool.Accounts.Select(a => pool.GetHealthAsync(a, default).AsTask())), h => Assert.Null(h.ChatCooldownUntil));
    }

    [Fact]
    public async Task RunAsync_EmptyStreamTwice_SoftLimitsBothAndRetriesOnlyOnce()
    {
        var (pool, runner) = Create("a", "b", "c");
        var attempts = 0;

        var error = await Assert.ThrowsAsync<ApiException>(() => runner.RunAsync<int>(QwenFeature.Chat, null, (_, _) =>
        {
            attempts++;
            throw new QwenUpstreamException(UpstreamErrorKind.EmptyStream, "empty");
        }, default));

        Assert.Equal(2, attempts);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.Status);
        var health = await Task.WhenAll(pool.Accounts.Select(a => pool.GetHealthAsync(a, default).AsTask()));
        Assert.Equal(2, health.Count(h => h.ChatCooldownUntil == _time.GetUtcNow().AddMinutes(1)));
    }

    [Fact]
    public async Task RunAsync_Waf_FailsWith503AndBacksOffBrieflyWithoutInvalidating()
    {
        var (pool, runner) = Create("a", "b");
        var attempts = 0;

        var error = await Assert.ThrowsAsync<ApiException>(() => runner.RunAsync<int>(QwenFeature.Chat, null, (_, _) =>
        {
            attempts++;
            throw new QwenUpstreamException(UpstreamErrorKind.Waf, "captcha");
        }, default));

        Assert.Equal(1, attempts);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.Status);
        Assert.Equal("upstream_blocked", error.Code);
        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
        var health = await Task.WhenAll(pool.Accounts.Select(a => pool.GetHealthAsync(a, default).AsTask()));
        Assert.All(health, h => Assert.False(h.Invalid));
        Assert.Single(health, h => h.ChatCooldownUntil == _time.GetUtcNow().AddSeconds(30));
    }

    [Fact]
    public async Task RunAsync_BoundAccount_UsesOnlyThatAccount()
    {
        var (pool, runner) = Create("a", "b", "c");
        var owner = pool.Accounts[2];
        var used = new List<string>();

        for (var i = 0; i < 3; i++)
        {
            await runner.RunAsync(QwenFeature.Chat, owner.Id, (acc, _) => { used.Add(acc.Id); return Task.FromResult(0); }, default);
        }

        Assert.All(used, id => Assert.Equal(owner.Id, id));
    }

    [Theory]
    [InlineData(UpstreamErrorKind.RateLimited)]
    [InlineData(UpstreamErrorKind.Unauthorized)]
    [InlineData(UpstreamErrorKind.EmptyStream)]
    public async Task RunAsync_ClientGoneWhileTheAttemptFailed_StillRecordsTheAccountsStateAndStops(UpstreamErrorKind kind)
    {
        var (pool, runner) = Create(new CancellationHonouringHealthStore(), "a", "b");
        using var client = new CancellationTokenSource();
        var attempts = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync<int>(QwenFeature.Chat, null, (_, _) =>
        {
            attempts++;
            client.Cancel(); // the client disconnects while the upstream answers with a failure
            throw new QwenUpstreamException(kind, "failure") { RetryAfterHours = 5 };
        }, client.Token));

        Assert.Equal(1, attempts);
        var health = await Task.WhenAll(pool.Accounts.Select(a => pool.GetHealthAsync(a, default).AsTask()));
        Assert.Single(health, h => h.Invalid || h.ChatCooldownUntil > _time.GetUtcNow());
    }

    private (AccountPool Pool, AccountAttemptRunner Runner) Create(params string[] tokens) =>
        Create(new InMemoryAccountHealthStore(), tokens);

    private (AccountPool Pool, AccountAttemptRunner Runner) Create(IAccountHealthStore store, params string[] tokens)
    {
        var options = AccountPoolTests.Monitor(new QwenOptions { Tokens = string.Join(',', tokens) });
        var pool = new AccountPool(options, store, _time, NullLogger<AccountPool>.Instance);
        // Access-token accounts only: the credentials service is never asked to refresh, so its auth client stays unused.
        var credentials = new AccountCredentials(new QwenAuthClient(new HttpClient(), options, new NoRequestSigner(), _time, NullLogger<QwenAuthClient>.Instance),
            new InMemoryRefreshTokenStore(_time), options, _time, NullLogger<AccountCredentials>.Instance);
        return (pool, new AccountAttemptRunner(pool, credentials, options, TestMetrics.Create(), _time, NullLogger<AccountAttemptRunner>.Instance));
    }

    /// <summary>Like the table store: a write with a cancelled token never happens.</summary>
    private sealed class CancellationHonouringHealthStore : IAccountHealthStore
    {
        private readonly InMemoryAccountHealthStore _inner = new();

        public ValueTask<AccountHealth> GetAsync(string accountId, CancellationToken cancellationToken) =>
            _inner.GetAsync(accountId, CancellationToken.None);

        public ValueTask<AccountHealth> UpdateAsync(string accountId, Func<AccountHealth, AccountHealth> update, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return _inner.UpdateAsync(accountId, update, cancellationToken);
        }
    }
}
