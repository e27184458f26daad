using System.Net;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace QwenFunctions.State;

/// <summary>
/// Client limit counters shared by all instances. Rows are keyed by a hash of the API key, never the key:
/// "rpm"/keyId holds the current minute's request count; "s_{keyId}"/instanceId holds the streams one instance has open.
/// </summary>
public sealed class ClientLimitTable(StateTables tables, IOptionsMonitor<StateOptions> options, TimeProvider time)
{
    private const string RequestPartition = "rpm";
    private const string WindowProperty = "Window";
    private const string CountProperty = "Count";
    private const string UpdatedAtProperty = "UpdatedAt";

    /// <summary>Counts one request in <paramref name="window"/> unless the key already made <paramref name="limit"/>.</summary>
    public async Task<bool> TryCountRequestAsync(string keyId, long window, int limit, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTables.Limits, cancellationToken);
        var maxAttempts = options.CurrentValue.MaxConflictRetries;
        for (var attempt = 1; ; attempt++)
        {
            var response = await table.GetEntityIfExistsAsync<TableEntity>(RequestPartition, keyId, cancellationToken: cancellationToken);
            var current = response.HasValue ? response.Value! : null;
            var count = current is not null && current.GetInt64(WindowProperty) == window ? current.GetInt32(CountProperty) ?? 0 : 0;
            if (count >= limit)
            {
                return false;
            }

            var next = new TableEntity(RequestPartition, keyId) { [WindowProperty] = window, [CountProperty] = count + 1 };
            try
            {
                if (current is null)
                {
                    await table.AddEntityAsync(next, cancellationToken);
                }
                else
                {
                    await table.UpdateEntityAsync(next, current.ETag, TableUpdateMode.Replace, cancellationToken);
                }

                return true;
            }
            catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed && attempt < maxAttempts)
            {
                // Another request counted first; count again on top of it.
            }
        }
    }

    /// <summary>Publishes how many streams this instance has open for a key (only this instance writes its row).</summary>
    public async Task PublishStreamsAsync(string keyId, string instanceId, int open, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTables.Limits, cancellationToken);
        var entity = new TableEntity(StreamPartition(keyId), instanceId) { [CountProperty] = open, [UpdatedAtProperty] = time.GetUtcNow() };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Streams open on other instances; rows not refreshed within the slot lifetime belong to instances that are gone.</summary>
    public async Task<int> CountOtherStreamsAsync(string keyId, string instanceId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTables.Limits, cancellationToken);
        var freshSince = time.GetUtcNow() - options.CurrentValue.ClientLimits.StreamSlotLifetime;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {StreamPartition(keyId)} and UpdatedAt ge {freshSince}");
        var total = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["RowKey", CountProperty], cancellationToken: cancellationToken))
        {
            if (row.RowKey != instanceId)
            {
                total += row.GetInt32(CountProperty) ?? 0;
            }
        }

        return total;
    }

    private static string StreamPartition(string keyId) => "s_" + keyId;
}
