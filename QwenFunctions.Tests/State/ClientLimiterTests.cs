using System.Net;
using Microsoft.Extensions.Time.Testing;
using QwenFunctions.Http;
using QwenFunctions.State;

namespace QwenFunctions.Tests.State;

[Collection(AzuriteCollection.Name)]
public sealed class ClientLimiterTests(AzuriteFixture fixture)
{
    private const string ClientKey = "sk-client-one";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 15, TimeSpan.Zero));
    private readonly string _prefix = StateTestHost.UniquePrefix();

    [Fact]
    public async Task AcquireRequestAsync_OverLimitOnOneInstance_Throws429UntilTheMinuteTurns()
    {
        await using var app = StateTestHost.Create(null, _prefix, _time, Limits(rpm: 3));
        var limiter = app.Get<ClientLimiter>();
        for (var i = 0; i < 3; i++)
        {
            await limiter.AcquireRequestAsync(ClientKey, CancellationToken.None);
        }

        var limited = await Assert.ThrowsAsync<ApiException>(() => limiter.AcquireRequestAsync(ClientKey, CancellationToken.None).AsTask());
        AssertRateLimited(limited);
        Assert.Equal(TimeSpan.FromSeconds(45), limited.RetryAfter);

        _time.Advance(TimeSpan.FromSeconds(45));
        await limiter.AcquireRequestAsync(ClientKey, CancellationToken.None);
    }

    [Fact]
    public async Task AcquireRequestAsync_OtherClientOverItsLimit_DoesNotLimitThisOne()
    {
        await using var app = StateTestHost.Create(null, _prefix, _time, Limits(rpm: 1));
        var limiter = app.Get<ClientLimiter>();
        await limiter.AcquireRequestAsync("sk-other", CancellationToken.None);
        await Assert.ThrowsAsync<ApiException>(() => limiter.AcquireRequestAsync("sk-other", CancellationToken.None).AsTask());

        await limiter.AcquireRequestAsync(ClientKey, CancellationToken.None);
    }

    [Fact]
    public async Task AcquireRequestAsync_NoLimitConfigured_AllowsEveryRequest()
    {
        await using var app = StateTestHost.Create(null, _prefix, _time);
        var limiter = app.Get<ClientLimiter>();
        for (var i = 0; i < 100; i++)
        {
            await limiter.AcquireRequestAsync(ClientKey, CancellationToken.None);
        }

        await using var lease = await limiter.AcquireStreamAsync(ClientKey, CancellationToken.None);
        Assert.NotNull(lease);
    }

    [Fact]
    public async Task AcquireStreamAsync_AtCapOnOneInstance_Throws429UntilALeaseEnds()
    {
        await using var app = StateTestHost.Create(null, _prefix, _time, Limits(streams: 2));
        var limiter = app.Get<ClientLimiter>();
        var first = await limiter.AcquireStreamAsync(ClientKey, CancellationToken.None);
        await using var second = await limiter.AcquireStreamAsync(ClientKey, CancellationToken.None);

        AssertRateLimited(await Assert.ThrowsAsync<ApiException>(() => limiter.AcquireStreamAsync(ClientKey, CancellationToken.None).AsTask()));

        await first.DisposeAsync();
        await first.DisposeAsync(); // a double dispose must not free a second slot
        await using var third = await limiter.AcquireStreamAsync(ClientKey, CancellationToken.None);
        await Assert.ThrowsAsync<ApiException>(() => limiter.AcquireStreamAsync(ClientKey, CancellationToken.None).AsTask());
    }

    [SkippableFact]
    public async Task AcquireRequestAsync_TwoInstances_ShareOneMinuteBudget()
    {
        var azurite = fixture.Require();
        await using var a = StateTestHost.Create(azurite.ConnectionString, _prefix, _time, Limits(rpm: 10));
        await using var b = StateTestHost.Create(azurite.ConnectionString, _prefix, _time, Limits(rpm: 10));

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(async i =>
        {
            try
            {
                await (i % 2 == 0 ? a : b).Get<ClientLimiter>().AcquireRequestAsync(ClientKey, CancellationToken.None);
                return true;
            }
            catch (ApiException ex)
            {
                AssertRateLimited(ex);
                return false;
            }
        }));

        // Both instances reached the shared counter, so the budget held exactly here; across a real outage it is approximate.
        Assert.Equal(10, results.Count(allowed => allowed));
    }

    [SkippableFact]
    public async Task AcquireStreamAsync_CapReachedOnInstanceA_InstanceBRefusesUntilAStreamEnds()
    {
        var azurite = fixture.Require();
        await using var a = StateTestHost.Create(azurite.ConnectionString, _prefix, _time, Limits(streams: 2));
        await using var b = StateTestHost.Create(azurite.ConnectionString, _prefix, _time, Limits(streams: 2));
        var first = await a.Get<ClientLimiter>().AcquireStreamAsync(ClientKey, CancellationToken.None);
        await using var second = await a.Get<ClientLimiter>().AcquireStreamAsync(ClientKey, CancellationToken.None);

        AssertRateLimited(await Assert.ThrowsAsync<ApiException>(() => b.Get<ClientLimiter>().AcquireStreamAsync(ClientKey, CancellationToken.None).AsTask()));

        await first.DisposeAsync();
        _time.Advance(TimeSpan.FromSeconds(3)); // B trusts its view of A for the cache TTL
        await using var onB = await b.Get<ClientLimiter>().AcquireStreamAsync(ClientKey, CancellationToken.None);
    }

    [SkippableFact]
    public async Task AcquireStreamAsync_ClientGoneWhileTheSlotIsPublished_ReleasesTheSlot()
    {
        var azurite = fixture.Require();
        await using var app = StateTestHost.Create(azurite.ConnectionString, _prefix, _time, Limits(streams: 1));
        var limiter = app.Get<ClientLimiter>();
        await (await limiter.AcquireStreamAsync(ClientKey, CancellationToken.None)).DisposeAsync(); // the others' count is now cached

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                limiter.AcquireStreamAsync(ClientKey, new CancellationToken(canceled: true)).AsTask());
        }

        await using var lease = await limiter.AcquireStreamAsync(ClientKey, CancellationToken.None);
        Assert.NotNull(lease);
    }

    [Fact]
    public void KeyId_ForAnApiKey_IsAStableHashThatHidesTheKey()
    {
        var id = ClientLimiter.KeyId(ClientKey);

        Assert.Equal(id, ClientLimiter.KeyId(ClientKey));
        Assert.NotEqual(id, ClientLimiter.KeyId("sk-client-two"));
        Assert.DoesNotContain(ClientKey, id, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Limits(int? rpm = null, int? streams = null) => new()
    {
        ["State:ClientLimits:RequestsPerMinute"] = rpm?.ToString(),
        ["State:ClientLimits:MaxConcurrentStreams"] = streams?.ToString(),
    };

    private static void AssertRateLimited(ApiException ex)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, ex.Status);
        Assert.Equal("rate_limit_exceeded", ex.Type);
        Assert.Equal("rate_limit_exceeded", ex.Code);
        Assert.True(ex.ShouldRetry);
        Assert.True(ex.RetryAfter >= TimeSpan.FromSeconds(1));
    }
}
