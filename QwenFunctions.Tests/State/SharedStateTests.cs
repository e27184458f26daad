using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using QwenFunctions.Accounts;
using QwenFunctions.State;
using QwenFunctions.Upstream;

namespace QwenFunctions.Tests.State;

[Collection(AzuriteCollection.Name)]
public sealed class SharedStateTests(AzuriteFixture fixture)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    private readonly string _prefix = StateTestHost.UniquePrefix();

    [SkippableFact]
    public async Task RunAsync_RateLimitedOnInstanceA_InstanceBSkipsThatAccount()
    {
        var azurite = fixture.Require();
        await using var a = StateTestHost.Create(azurite.ConnectionString, _prefix, _time);
        await using var b = StateTestHost.Create(azurite.ConnectionString, _prefix, _time);
        string? limited = null;

        var (value, served) = await a.Runner.RunAsync(QwenFeature.Chat, null, (account, _) =>
        {
            if (limited is null)
            {
                limited = account.Id;
                throw new QwenUpstreamException(UpstreamErrorKind.RateLimited, "daily limit") { RetryAfterHours = 5 };
            }

            return Task.FromResult("answer");
        }, CancellationToken.None);

        Assert.Equal("answer", value);
        Assert.NotEqual(limited, served.Id);
        for (var i = 0; i < 4; i++)
        {
            var next = await b.Pool.AcquireAsync(QwenFeature.Chat, new HashSet<string>(), CancellationToken.None);
            Assert.NotEqual(limited, next.Id);
        }

        var health = await b.Pool.GetHealthAsync(b.Pool.Find(limited!)!, CancellationToken.None);
        Assert.Equal(_time.GetUtcNow().AddHours(5), health.ChatCooldownUntil);
        Assert.Equal(nameof(UpstreamErrorKind.RateLimited), health.LastErrorKind);
    }

    [SkippableFact]
    public async Task RunAsync_CooldownSeenByBWithinCacheTtl_BPicksItUpAfterTheTtl()
    {
        var azurite = fixture.Require();
        await using var a = StateTestHost.Create(azurite.ConnectionString, _prefix, _time);
        await using var b = StateTestHost.Create(azurite.ConnectionString, _prefix, _time);
        var account = b.Pool.Accounts[0];
        Assert.False((await b.Pool.GetHealthAsync(account, CancellationToken.None)).IsCoolingDown(QwenFeature.Chat, _time.GetUtcNow()));

        await a.Pool.CoolDownAsync(a.Pool.Find(account.Id)!, QwenFeature.Chat, TimeSpan.FromHours(1), "RateLimited", CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(3));

        Assert.True((await b.Pool.GetHealthAsync(account, CancellationToken.None)).IsCoolingDown(QwenFeature.Chat, _time.GetUtcNow()));
    }

    [SkippableTheory]
    [InlineData(BindingKind.Conversation)]
    [InlineData(BindingKind.File)]
    public async Task RunAsync_BoundOnInstanceA_ContinuesOnInstanceBOnSameAccount(BindingKind kind)
    {
        var azurite = fixture.Require();
        await using var a = StateTestHost.Create(azurite.ConnectionString, _prefix, _time);
        await using var b = StateTestHost.Create(azurite.ConnectionString, _prefix, _time);
        var upstreamId = Guid.NewGuid().ToString();

        var (_, started) = await a.Runner.RunAsync(QwenFeature.Chat, null, (_, _) => Task.FromResult(upstreamId), CancellationToken.None);
        await a.Get<IAccountBindingStore>().BindAsync(kind, upstreamId, started.Id, CancellationToken.None);
        await a.FlushBindingsAsync();

        var bound = await b.Get<IAccountBindingStore>().FindAccountAsync(kind, upstreamId, CancellationToken.None);
        var (_, continued) = await b.Runner.RunAsync(QwenFeature.Chat, bound, (_, _) => Task.FromResult(0), CancellationToken.None);
        Assert.Equal(started.Id, continued.Id);
    }

    [SkippableFact]
    public async Task FindAccountAsync_BindingOlderThanUpstreamKeepsIt_ReturnsNull()
    {
        var azurite = fixture.Require();
        await using var a = StateTestHost.Create(azurite.ConnectionString, _prefix, _time);
        var store = a.Get<SharedAccountBindingStore>();
        await store.BindAsync(BindingKind.Conversation, "old-chat", "acc_000000000001", CancellationToken.None);
        await a.FlushBindingsAsync();

        _time.Advance(TimeSpan.FromDays(31));

        Assert.Null(await store.FindAccountAsync(BindingKind.Conversation, "old-chat", CancellationToken.None));
    }

    [SkippableFact]
    public async Task PruneAsync_ExpiredAndFreshBindings_DeletesOnlyTheExpired()
    {
        var azurite = fixture.Require();
        await using var a = StateTestHost.Create(azurite.ConnectionString, _prefix, _time);
        var store = a.Get<SharedAccountBindingStore>();
        await store.BindAsync(BindingKind.File, "old-file", "acc_000000000001", CancellationToken.None);
        await a.FlushBindingsAsync();
        _time.Advance(TimeSpan.FromDays(29));
        await store.BindAsync(BindingKind.File, "new-file", "acc_000000000001", CancellationToken.None);
        await a.FlushBindingsAsync();
        _time.Advance(TimeSpan.FromDays(2));

        var table = await a.Get<StateTables>().GetAsync(StateTables.Bindings, CancellationToken.None);
        Assert.Equal(1, await store.PruneAsync(table, BindingKind.File, CancellationToken.None));

        Assert.Equal("acc_000000000001", await store.FindAccountAsync(BindingKind.File, "new-file", CancellationToken.None));
        Assert.False((await table.GetEntityIfExistsAsync<TableEntity>("file", "old-file")).HasValue);
    }

    [SkippableFact]
    public async Task PruneAsync_ContinuationFingerprintsPastTheContinuationLifetime_AreDeleted()
    {
        // One row per stateless answer: a month of them would be kept for nothing, as no reader takes one after a day.
        var azurite = fixture.Require();
        await using var a = StateTestHost.Create(azurite.ConnectionString, _prefix, _time);
        var store = a.Get<SharedAccountBindingStore>();
        await store.BindAsync(BindingKind.Continuation, "old-fingerprint", "{}", CancellationToken.None);
        await a.FlushBindingsAsync();
        _time.Advance(TimeSpan.FromHours(25));
        await store.BindAsync(BindingKind.Continuation, "new-fingerprint", "{}", CancellationToken.None);
        await a.FlushBindingsAsync();

        var table = await a.Get<StateTables>().GetAsync(StateTables.Bindings, CancellationToken.None);
        Assert.Equal(1, await store.PruneAsync(table, BindingKind.Continuation, CancellationToken.None));

        Assert.Equal("{}", await store.FindAccountAsync(BindingKind.Continuation, "new-fingerprint", CancellationToken.None));
    }

    [SkippableFact]
    public async Task PruneAsync_MoreExpiredRowsThanAHundred_DeletesAllOfThemInOneRun()
    {
        // A prune runs once per 1024 writes: removing fewer rows than were written since the last one, the table grows
        // for ever (every stateless answer writes a chat and a continuation row).
        var azurite = fixture.Require();
        await using var a = StateTestHost.Create(azurite.ConnectionString, _prefix, _time);
        var store = a.Get<SharedAccountBindingStore>();
        for (var i = 0; i < 150; i++)
        {
            await store.BindAsync(BindingKind.File, $"old-file-{i}", "acc_000000000001", CancellationToken.None);
        }

        await a.FlushBindingsAsync();
        _time.Advance(TimeSpan.FromDays(31));

        var table = await a.Get<StateTables>().GetAsync(StateTables.Bindings, CancellationToken.None);
        Assert.Equal(150, await store.PruneAsync(table, BindingKind.File, CancellationToken.None));
        Assert.Empty(await table.QueryAsync<TableEntity>(select: ["RowKey"]).ToListAsync());
    }

    [SkippableFact]
    public async Task InvalidateAsync_AfterRestart_AccountStaysInvalid()
    {
        var azurite = fixture.Require();
        string invalidId;
        await using (var before = StateTestHost.Create(azurite.ConnectionString, _prefix, _time))
        {
            var account = before.Pool.Accounts[0];
            invalidId = account.Id;
            await before.Pool.InvalidateAsync(account, "token expired", CancellationToken.None);
        }

        await using var after = StateTestHost.Create(azurite.ConnectionString, _prefix, _time);
        var health = await after.Pool.GetHealthAsync(after.Pool.Find(invalidId)!, CancellationToken.None);
        Assert.True(health.Invalid);
        Assert.Equal("token expired", health.InvalidReason);
        var next = await after.Pool.AcquireAsync(QwenFeature.Chat, new HashSet<string>(), CancellationToken.None);
        Assert.NotEqual(invalidId, next.Id);
    }

    [SkippableFact]
    public async Task UpdateAsync_ManyParallelWritersOnTwoInstances_LoseNoUpdate()
    {
        var azurite = fixture.Require();
        // Two dozen writers on one row queue up inside a single Azurite process; allow them the time (not asserted).
        var patient = new Dictionary<string, string?> { ["State:OperationTimeout"] = "00:00:30" };
        await using var a = StateTestHost.Create(azurite.ConnectionString, _prefix, _time, patient);
        await using var b = StateTestHost.Create(azurite.ConnectionString, _prefix, _time, patient);
        const string accountId = "acc_0000000000aa";
        const int writers = 24;

        await Task.WhenAll(Enumerable.Range(0, writers).Select(i =>
            (i % 2 == 0 ? a : b).Get<SharedAccountHealthStore>()
                .UpdateAsync(accountId, h => h with { InvalidReason = h.InvalidReason + $"[{i}]" }, CancellationToken.None).AsTask()));

        _time.Advance(TimeSpan.FromSeconds(3));
        var reason = (await a.Get<IAccountHealthStore>().GetAsync(accountId, CancellationToken.None)).InvalidReason!;
        Assert.All(Enumerable.Range(0, writers), i => Assert.Contains($"[{i}]", reason));
    }

    [SkippableFact]
    public async Task SharedTables_AfterUse_HoldNoTokenOrApiKey()
    {
        var azurite = fixture.Require();
        await using var a = StateTestHost.Create(azurite.ConnectionString, _prefix, _time, new Dictionary<string, string?>
        {
            ["State:ClientLimits:RequestsPerMinute"] = "10",
            ["State:ClientLimits:MaxConcurrentStreams"] = "2",
        });
        var account = a.Pool.Accounts[0];
        await a.Pool.InvalidateAsync(account, "expired", CancellationToken.None);
        await a.Get<IAccountBindingStore>().BindAsync(BindingKind.Conversation, "chat-1", account.Id, CancellationToken.None);
        await a.FlushBindingsAsync();
        await a.Get<ClientLimiter>().AcquireRequestAsync("sk-secret-client-key", CancellationToken.None);
        await using (await a.Get<ClientLimiter>().AcquireStreamAsync("sk-secret-client-key", CancellationToken.None))
        {
        }

        var service = new TableServiceClient(azurite.ConnectionString);
        var everything = new List<string>();
        foreach (var table in new[] { StateTables.Health, StateTables.Bindings, StateTables.Limits })
        {
            await foreach (var row in service.GetTableClient(_prefix + table).QueryAsync<TableEntity>())
            {
                everything.Add(string.Join("|", row.Select(p => $"{p.Key}={p.Value}")));
            }
        }

        Assert.Contains(everything, row => row.Contains(account.Id, StringComparison.Ordinal));
        Assert.DoesNotContain(everything, row => row.Contains(StateTestHost.TokenA, StringComparison.Ordinal)
            || row.Contains(StateTestHost.TokenB, StringComparison.Ordinal)
            || row.Contains("sk-secret-client-key", StringComparison.Ordinal));
    }
}
