using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QwenFunctions.Accounts;

namespace QwenFunctions.State;

/// <summary>
/// Conversation and file bindings shared in one table row each (PartitionKey = kind and a hash byte of the id, so rows
/// spread over 256 partitions per kind; RowKey = the upstream id). A binding is in memory at once and in the table
/// behind the request (write-behind), so a new chat never waits for storage; during an outage the writes wait in a
/// capped backlog and reach the table when it answers again. Another instance that is asked to continue a chat whose
/// binding is still on its way polls the table for it, bounded by <see cref="StateOptions.BindingWaitTimeout"/>.
/// Rows older than the upstream keeps chats and files (continuation fingerprints: Proxy:ContinuationLifetime) are
/// ignored on read and deleted now and then; rows of the earlier layout (PartitionKey = kind alone) are still found.
/// </summary>
public sealed partial class SharedAccountBindingStore : IAccountBindingStore
{
    // Parallel writes of the pump: a burst of new chats drains at the table's pace, not one round trip at a time.
    private const int WriteParallelism = 8;
    private const string AccountIdProperty = "AccountId";
    private const string BoundAtProperty = "BoundAt";
    // A prune may delete as many rows as were written since the last one, so deletes keep up with the writes.
    private const int PruneEvery = 1024;
    private const int PrunePage = 100;
    private static readonly TimeSpan FirstPollDelay = TimeSpan.FromMilliseconds(25);

    private readonly StateTables _tables;
    private readonly InMemoryAccountBindingStore _memory;
    private readonly StorageCircuitBreaker _breaker;
    private readonly IOptionsMonitor<StateOptions> _options;
    private readonly TimeProvider _time;
    private readonly UnsyncedWrites<(BindingKind Kind, string Key), string> _unsynced;
    private int _writes;

    public SharedAccountBindingStore(
        StateTables tables,
        InMemoryAccountBindingStore memory,
        StorageCircuitBreaker breaker,
        IOptionsMonitor<StateOptions> options,
        TimeProvider time,
        ILogger<SharedAccountBindingStore> logger)
    {
        _tables = tables;
        _memory = memory;
        _breaker = breaker;
        _options = options;
        _time = time;
        _unsynced = new(options.CurrentValue.MaxUnsyncedWrites, PushAsync, logger, WriteParallelism);

        // Push what was learned during the outage as soon as the store is back, not only on the next new binding.
        breaker.Closed += _unsynced.PushInBackground;
    }

    /// <summary>Bindings not yet in the table.</summary>
    internal int Unsynced => _unsynced.Count;

    /// <summary>Bindings dropped from a full backlog (the oldest first).</summary>
    internal long Dropped => _unsynced.Dropped;

    public async ValueTask<string?> FindAccountAsync(BindingKind kind, string key, CancellationToken cancellationToken)
    {
        // A chat or file never changes owner, so a binding this instance already knows needs no storage call.
        if (await _memory.FindAccountAsync(kind, key, cancellationToken) is { } known)
        {
            return known;
        }

        var started = _time.GetTimestamp();
        // A continuation fingerprint that is not there is the common case (a new or edited history), and missing one
        // only means folding the history: one read, never a wait on the request path.
        var wait = kind == BindingKind.Continuation ? TimeSpan.Zero : _options.CurrentValue.BindingWaitTimeout;
        var delay = FirstPollDelay;
        while (true)
        {
            var (done, accountId) = await _breaker.TryExecuteAsync(ct => ReadRowAsync(kind, key, ct), cancellationToken);
            if (done && accountId is not null)
            {
                await _memory.BindAsync(kind, key, accountId, cancellationToken);
                return accountId;
            }

            // Not there (yet): the instance that made it may still be writing it. An unreachable table has nothing to wait for.
            if (!done || _time.GetElapsedTime(started) + delay > wait)
            {
                return null;
            }

            await Task.Delay(delay, _time, cancellationToken);
            delay *= 2;
        }
    }

    public async ValueTask BindAsync(BindingKind kind, string key, string accountId, CancellationToken cancellationToken)
    {
        await _memory.BindAsync(kind, key, accountId, cancellationToken);
        _unsynced.Add((kind, key), accountId);
        _unsynced.PushInBackground();
    }

    /// <summary>Writes what is still pending, for a host that is stopping.</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => _unsynced.FlushAsync(cancellationToken);

    /// <summary>Deletes expired bindings, at most as many as one instance writes between two prunes; each instance does its share.</summary>
    internal async Task<int> PruneAsync(TableClient table, BindingKind kind, CancellationToken cancellationToken)
    {
        var cutoff = _time.GetUtcNow() - _memory.LifetimeOf(kind);
        // One range over the kind's partitions (the legacy one sorts first: "file" < "file-00" < "file.").
        var legacy = LegacyPartition(kind);
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {legacy} and PartitionKey lt {legacy + "."} and BoundAt lt {cutoff}");
        var deleted = 0;
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: PrunePage, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, cancellationToken: cancellationToken);
            if (++deleted >= PruneEvery)
            {
                break;
            }
        }

        return deleted;
    }

    /// <summary>All rows in one partition would make it the table's hot spot (and Azurite's slowest path) as chats pile up.</summary>
    internal static string Partition(BindingKind kind, string rowKey) =>
        $"{LegacyPartition(kind)}-{SHA256.HashData(Encoding.UTF8.GetBytes(rowKey))[0]:x2}";

    /// <summary>Upstream ids are uuids; anything else (or with characters a RowKey forbids) is stored by its hash.</summary>
    internal static string RowKey(string key) => SafeKey().IsMatch(key)
        ? key
        : "h_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private async Task<string?> ReadRowAsync(BindingKind kind, string key, CancellationToken cancellationToken)
    {
        var table = await _tables.GetAsync(StateTables.Bindings, cancellationToken);
        var rowKey = RowKey(key);
        return await ReadAsync(table, kind, Partition(kind, rowKey), rowKey, cancellationToken)
            ?? await ReadAsync(table, kind, LegacyPartition(kind), rowKey, cancellationToken);
    }

    private Task<bool> PushAsync((BindingKind Kind, string Key) binding, string accountId, CancellationToken cancellationToken) =>
        _breaker.TryExecuteAsync(ct => WriteRowAsync(binding.Kind, binding.Key, accountId, ct), cancellationToken);

    private async Task WriteRowAsync(BindingKind kind, string key, string accountId, CancellationToken cancellationToken)
    {
        var table = await _tables.GetAsync(StateTables.Bindings, cancellationToken);
        var rowKey = RowKey(key);
        var entity = new TableEntity(Partition(kind, rowKey), rowKey)
        {
            [AccountIdProperty] = accountId,
            [BoundAtProperty] = _time.GetUtcNow(),
        };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        if (Interlocked.Increment(ref _writes) % PruneEvery == 0)
        {
            await PruneAsync(table, kind, cancellationToken);
        }
    }

    private async Task<string?> ReadAsync(TableClient table, BindingKind kind, string partition, string rowKey, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, [AccountIdProperty, BoundAtProperty], cancellationToken);
        if (!response.HasValue || response.Value!.GetDateTimeOffset(BoundAtProperty) is not { } boundAt
            || _time.GetUtcNow() - boundAt >= _memory.LifetimeOf(kind))
        {
            return null;
        }

        return response.Value.GetString(AccountIdProperty);
    }

    private static string LegacyPartition(BindingKind kind) => kind.ToString().ToLowerInvariant();

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,200}$")]
    private static partial Regex SafeKey();
}
