using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using QwenFunctions.Accounts;
using QwenFunctions.State;

namespace QwenFunctions.Tests.State;

/// <summary>A new chat's binding is written behind the request, spread over partitions, and still found elsewhere.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WriteBehindBindingTests(AzuriteFixture fixture)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    private readonly string _prefix = StateTestHost.UniquePrefix();

    [Fact]
    public async Task BindAsync_StoreNeverAnswers_ReturnsAtOnceAndTheBindingServesThisInstance()
    {
        using var blackHole = BlackHole(out var connection);
        await using var app = StateTestHost.Create(connection, _prefix, _time);
        var store = app.Get<IAccountBindingStore>();
        var owner = app.Pool.Accounts[1].Id;

        var bind = store.BindAsync(BindingKind.Conversation, "chat-new", owner, CancellationToken.None);

        // The table call hangs (and its timeout runs on a clock nobody advances): the request must not wait for it.
        Assert.True(bind.IsCompleted);
        Assert.Equal(owner, await store.FindAccountAsync(BindingKind.Conversation, "chat-new", CancellationToken.None));
        Assert.Equal(1, app.Get<IStateStatus>().GetStatus().UnsyncedWrites);
    }

    [Fact]
    public async Task BindAsync_BacklogPastItsCap_DropsTheOldestAndCountsThemInStatus()
    {
        using var blackHole = BlackHole(out var connection);
        await using var app = StateTestHost.Create(connection, _prefix, _time, new Dictionary<string, string?> { ["State:MaxUnsyncedWrites"] = "3" });
        var store = app.Get<IAccountBindingStore>();
        var owner = app.Pool.Accounts[0].Id;

        for (var i = 0; i < 5; i++)
        {
            await store.BindAsync(BindingKind.Conversation, $"chat-{i}", owner, CancellationToken.None);
        }

        var status = app.Get<IStateStatus>().GetStatus();
        Assert.Equal(3, status.UnsyncedWrites);
        Assert.Equal(2, status.DroppedWrites);
    }

    [SkippableFact]
    public async Task FindAccountAsync_ContinuationArrivesBeforeTheWriteLands_WaitsForItOnTheOtherInstance()
    {
        var azurite = fixture.Require();
        var wait = new Dictionary<string, string?> { ["State:BindingWaitTimeout"] = "00:00:05" };
        await using var a = StateTestHost.Create(azurite.ConnectionString, _prefix, _time);
        await using var b = StateTestHost.Create(azurite.ConnectionString, _prefix, _time, wait);
        var chatId = Guid.NewGuid().ToString();
        var owner = a.Pool.Accounts[1].Id;

        // B is asked first; A's write lands while B is waiting.
        var found = b.Get<IAccountBindingStore>().FindAccountAsync(BindingKind.Conversation, chatId, CancellationToken.None).AsTask();
        await a.Get<IAccountBindingStore>().BindAsync(BindingKind.Conversation, chatId, owner, CancellationToken.None);
        await a.FlushBindingsAsync();
        for (var i = 0; i < 200 && !found.IsCompleted; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(25));
            await Task.Delay(10);
        }

        Assert.Equal(owner, await found);
    }

    [SkippableFact]
    public async Task FindAccountAsync_UnknownChat_AnswersNullOnceTheWaitIsOver()
    {
        var azurite = fixture.Require();
        await using var b = StateTestHost.Create(azurite.ConnectionString, _prefix, _time, new Dictionary<string, string?> { ["State:BindingWaitTimeout"] = "00:00:01" });

        var found = b.Get<IAccountBindingStore>().FindAccountAsync(BindingKind.Conversation, "never-made", CancellationToken.None).AsTask();
        for (var i = 0; i < 200 && !found.IsCompleted; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(10);
        }

        Assert.True(found.IsCompleted);
        Assert.Null(await found);
    }

    [SkippableFact]
    public async Task FindAccountAsync_ContinuationFingerprint_IsSharedButAMissNeverWaits()
    {
        var azurite = fixture.Require();
        var wait = new Dictionary<string, string?> { ["State:BindingWaitTimeout"] = "00:00:05" };
        await using var a = StateTestHost.Create(azurite.ConnectionString, _prefix, _time);
        await using var b = StateTestHost.Create(azurite.ConnectionString, _prefix, _time, wait);
        await a.Get<IAccountBindingStore>().BindAsync(BindingKind.Continuation, new string('a', 64), "{\"c\":\"chat\"}", CancellationToken.None);
        await a.FlushBindingsAsync();

        // A miss is the usual answer for a new or edited history; it must not hold the request for the wait (the clock never moves here).
        var miss = b.Get<IAccountBindingStore>().FindAccountAsync(BindingKind.Continuation, new string('b', 64), CancellationToken.None).AsTask();

        Assert.Null(await miss.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("{\"c\":\"chat\"}", await b.Get<IAccountBindingStore>().FindAccountAsync(BindingKind.Continuation, new string('a', 64), CancellationToken.None));
    }

    [SkippableFact]
    public async Task BindAsync_ManyChats_RowsSpreadOverPartitionsAndRowsOfTheOldLayoutAreStillFound()
    {
        var azurite = fixture.Require();
        await using var a = StateTestHost.Create(azurite.ConnectionString, _prefix, _time);
        var owner = a.Pool.Accounts[0].Id;
        for (var i = 0; i < 20; i++)
        {
            await a.Get<IAccountBindingStore>().BindAsync(BindingKind.Conversation, Guid.NewGuid().ToString(), owner, CancellationToken.None);
        }

        await a.FlushBindingsAsync();
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(_prefix + StateTables.Bindings);
        var partitions = new HashSet<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey"]))
        {
            partitions.Add(row.PartitionKey);
        }

        Assert.True(partitions.Count > 5, $"20 rows in {partitions.Count} partitions");
        Assert.All(partitions, p => Assert.StartsWith("conversation-", p, StringComparison.Ordinal));

        // A row written before partitions were spread (PartitionKey = the kind alone).
        await table.UpsertEntityAsync(new TableEntity("conversation", "chat-from-before") { ["AccountId"] = owner, ["BoundAt"] = _time.GetUtcNow() });
        await using var b = StateTestHost.Create(azurite.ConnectionString, _prefix, _time);
        // The table layer itself (under the caller scoping, which prefixes every key with its caller).
        var tableStore = ((CallerScopedBindingStore)b.Get<IAccountBindingStore>()).Inner;
        Assert.Equal(owner, await tableStore.FindAccountAsync(BindingKind.Conversation, "chat-from-before", CancellationToken.None));
    }

    /// <summary>A table endpoint that accepts connections and never answers.</summary>
    private static TcpListener BlackHole(out string connection)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        connection = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Convert.ToBase64String(new byte[64])};TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
        return listener;
    }
}
