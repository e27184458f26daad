using Microsoft.Extensions.Time.Testing;
using QwenFunctions.Accounts;
using QwenFunctions.State;
using QwenFunctions.Upstream;

namespace QwenFunctions.Tests.State;

/// <summary>Runs its own Azurite, because it stops and restarts it mid-test.</summary>
public sealed class StorageOutageTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    private readonly string _prefix = StateTestHost.UniquePrefix();
    private AzuriteProcess? _azurite;

    public async Task InitializeAsync()
    {
        if (AzuriteProcess.FindExecutable() is { } executable)
        {
            _azurite = await AzuriteProcess.StartNewAsync(executable);
        }
    }

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task RunAsync_AzuriteStoppedThenRestarted_ServesFromMemoryThenRecovers()
    {
        AzuriteFixture.RequireExecutable();
        var azurite = _azurite!;
        await using var a = StateTestHost.Create(azurite.ConnectionString, _prefix, _time);
        var status = a.Get<IStateStatus>();
        Assert.Equal("ok", await ChatAsync(a));
        Assert.Equal(new StateStatus(true, "table", "State:ConnectionString", false, null, null), status.GetStatus());

        await azurite.StopAsync();

        // Storage is down: requests keep succeeding, what they learn lands in memory, and the breaker opens.
        string? limited = null;
        var (value, _) = await a.Runner.RunAsync(QwenFeature.Chat, null, (account, _) =>
        {
            if (limited is null)
            {
                limited = account.Id;
                throw new QwenUpstreamException(UpstreamErrorKind.RateLimited, "daily limit") { RetryAfterHours = 2 };
            }

            return Task.FromResult("ok");
        }, CancellationToken.None);
        Assert.Equal("ok", value);
        await a.Get<IAccountBindingStore>().BindAsync(BindingKind.Conversation, "chat-during-outage", limited!, CancellationToken.None);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("ok", await ChatAsync(a));
            var next = await a.Pool.AcquireAsync(QwenFeature.Chat, new HashSet<string>(), CancellationToken.None);
            Assert.NotEqual(limited, next.Id);
        }

        Assert.True(status.GetStatus().BreakerOpen);
        Assert.NotNull(status.GetStatus().LastError);
        Assert.Equal(limited, await a.Get<IAccountBindingStore>().FindAccountAsync(BindingKind.Conversation, "chat-during-outage", CancellationToken.None));

        await azurite.StartAsync();
        _time.Advance(TimeSpan.FromSeconds(31));

        // The probe finds the store again; what was learned during the outage reaches the other instances.
        Assert.Equal("ok", await ChatAsync(a));
        Assert.False(status.GetStatus().BreakerOpen);
        Assert.Equal(limited, await a.Get<IAccountBindingStore>().FindAccountAsync(BindingKind.Conversation, "chat-during-outage", CancellationToken.None));
        await a.FlushBindingsAsync();
        await a.Get<SharedAccountHealthStore>().FlushAsync(CancellationToken.None);
        await using var b = StateTestHost.Create(azurite.ConnectionString, _prefix, _time);
        var seenByB = await b.Pool.GetHealthAsync(b.Pool.Find(limited!)!, CancellationToken.None);
        Assert.True(seenByB.IsCoolingDown(QwenFeature.Chat, _time.GetUtcNow()));
        Assert.Equal(limited, await b.Get<IAccountBindingStore>().FindAccountAsync(BindingKind.Conversation, "chat-during-outage", CancellationToken.None));
    }

    [SkippableFact]
    public async Task HostStop_AfterARefreshRotatedDuringAnOutage_WritesTheRotatedTokenSoTheNextHostUsesIt()
    {
        // A refresh token the upstream rotated while the table was down exists only in this instance's memory; the
        // old one is retired. A host that stops must push it, or the next host falls back to the retired token.
        AzuriteFixture.RequireExecutable();
        var azurite = _azurite!;
        var settings = new Dictionary<string, string?>
        {
            ["QWEN_REFRESH_TOKENS"] = "rt-configured-" + Guid.NewGuid().ToString("N"),
            ["QWEN_TOKEN_ENCRYPTION_KEY"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        };
        var rotated = "rt-rotated-" + Guid.NewGuid().ToString("N");
        var a = StateTestHost.Create(azurite.ConnectionString, _prefix, _time, settings);
        var accountId = a.Pool.Accounts.Single(x => x.ConfiguredRefreshToken is not null).Id;
        var store = a.Get<IRefreshTokenStore>();

        await azurite.StopAsync();
        RefreshLease? lease = null;
        for (var i = 0; i < 3 && lease is null; i++)
        {
            lease = (await store.TryLeaseAsync(accountId, "instance-a", _time.GetUtcNow().AddMinutes(1), CancellationToken.None)).Lease;
        }

        await store.ReleaseAsync(lease!, new RefreshOutcome(RefreshOutcomes.Ok, _time.GetUtcNow(), rotated), CancellationToken.None);
        Assert.True(a.Get<IStateStatus>().GetStatus().UnsyncedWrites > 0);

        await azurite.StartAsync();
        _time.Advance(TimeSpan.FromSeconds(31));
        await a.Get<TableStateStatus>().StopAsync(CancellationToken.None);
        await a.DisposeAsync();

        await using var b = StateTestHost.Create(azurite.ConnectionString, _prefix, _time, settings);
        var next = (await b.Get<IRefreshTokenStore>().TryLeaseAsync(accountId, "instance-b", _time.GetUtcNow().AddMinutes(1), CancellationToken.None)).Lease;
        Assert.Equal(rotated, next?.RefreshToken);
    }

    [SkippableFact]
    public async Task AcquireRequestAsync_AzuriteStopped_CountsLocallyAndStillLimits()
    {
        AzuriteFixture.RequireExecutable();
        await using var a = StateTestHost.Create(_azurite!.ConnectionString, _prefix, _time, new Dictionary<string, string?>
        {
            ["State:ClientLimits:RequestsPerMinute"] = "3",
        });
        var limiter = a.Get<ClientLimiter>();
        await _azurite.StopAsync();

        for (var i = 0; i < 3; i++)
        {
            await limiter.AcquireRequestAsync("sk-client", CancellationToken.None);
        }

        await Assert.ThrowsAsync<QwenFunctions.Http.ApiException>(() => limiter.AcquireRequestAsync("sk-client", CancellationToken.None).AsTask());
        Assert.True(a.Get<IStateStatus>().GetStatus().BreakerOpen);
    }

    [Fact]
    public async Task RunAsync_StoreAcceptsConnectionsButNeverAnswers_RequestsSucceedAndBreakerOpens()
    {
        // A black hole: connections are accepted by the kernel and then nothing is ever answered.
        var blackHole = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        blackHole.Start();
        try
        {
            var port = ((System.Net.IPEndPoint)blackHole.LocalEndpoint).Port;
            var connection = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Convert.ToBase64String(new byte[64])};TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
            await using var app = StateTestHost.Create(connection, _prefix, _time, new Dictionary<string, string?> { ["State:OperationTimeout"] = "00:00:00.200" });

            for (var i = 0; i < 4; i++)
            {
                Assert.Equal("ok", await ChatAsync(app));
            }

            var status = app.Get<IStateStatus>().GetStatus();
            Assert.True(status.BreakerOpen);
            Assert.True(status.Shared);
        }
        finally
        {
            blackHole.Stop();
        }
    }

    private static async Task<string> ChatAsync(StateTestHost app)
    {
        var (value, _) = await app.Runner.RunAsync(QwenFeature.Chat, null, (_, _) => Task.FromResult("ok"), CancellationToken.None);
        return value;
    }
}
