using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using QwenFunctions.Accounts;

namespace QwenFunctions.State;

/// <summary>
/// Conversation and file bindings, one row each (PartitionKey = kind and a hash byte of the id, so rows spread over
/// 256 partitions per kind; RowKey = the upstream id). Rows older than the upstream keeps chats and files are ignored
/// on read and deleted now and then. Rows of the earlier layout (PartitionKey = kind alone) are still found.
/// </summary>
public sealed partial class TableAccountBindingStore(StateTables tables, TimeProvider time) : IAccountBindingStore
{
    private const string AccountIdProperty = "AccountId";
    private const string BoundAtProperty = "BoundAt";
    private const int PruneEvery = 1024;
    private const int PruneBatch = 100;

    private int _writes;

    public async ValueTask<string?> FindAccountAsync(BindingKind kind, string key, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTables.Bindings, cancellationToken);
        var rowKey = RowKey(key);
        return await ReadAsync(table, Partition(kind, rowKey), rowKey, cancellationToken)
            ?? await ReadAsync(table, LegacyPartition(kind), rowKey, cancellationToken);
    }

    public async ValueTask BindAsync(BindingKind kind, string key, string accountId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTables.Bindings, cancellationToken);
        var rowKey = RowKey(key);
        var entity = new TableEntity(Partition(kind, rowKey), rowKey)
        {
            [AccountIdProperty] = accountId,
            [BoundAtProperty] = time.GetUtcNow(),
        };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        if (Interlocked.Increment(ref _writes) % PruneEvery == 0)
        {
            await PruneAsync(table, kind, cancellationToken);
        }
    }

    /// <summary>Deletes a batch of expired bindings; each instance does a little, so nobody does it all.</summary>
    internal async Task<int> PruneAsync(TableClient table, BindingKind kind, CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - InMemoryAccountBindingStore.Lifetime;
        // One range over the kind's partitions (the legacy one sorts first: "file" < "file-00" < "file.").
        var legacy = LegacyPartition(kind);
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {legacy} and PartitionKey lt {legacy + "."} and BoundAt lt {cutoff}");
        var deleted = 0;
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: PruneBatch, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, cancellationToken: cancellationToken);
            if (++deleted >= PruneBatch)
            {
                break;
            }
        }

        return deleted;
    }

    private async Task<string?> ReadAsync(TableClient table, string partition, string rowKey, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, [AccountIdProperty, BoundAtProperty], cancellationToken);
        if (!response.HasValue || response.Value!.GetDateTimeOffset(BoundAtProperty) is not { } boundAt
            || time.GetUtcNow() - boundAt >= InMemoryAccountBindingStore.Lifetime)
        {
            return null;
        }

        return response.Value.GetString(AccountIdProperty);
    }

    /// <summary>All rows in one partition would make it the table's hot spot (and Azurite's slowest path) as chats pile up.</summary>
    internal static string Partition(BindingKind kind, string rowKey) =>
        $"{LegacyPartition(kind)}-{SHA256.HashData(Encoding.UTF8.GetBytes(rowKey))[0]:x2}";

    private static string LegacyPartition(BindingKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>Upstream ids are uuids; anything else (or with characters a RowKey forbids) is stored by its hash.</summary>
    internal static string RowKey(string key) => SafeKey().IsMatch(key)
        ? key
        : "h_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,200}$")]
    private static partial Regex SafeKey();
}
