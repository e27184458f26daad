using System.Collections.Concurrent;
using System.Net;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using QwenFunctions.Accounts;

namespace QwenFunctions.State;

/// <summary>
/// Account health in one table row per account (PartitionKey "account", RowKey = the account fingerprint; never a token).
/// Reads go through a short per-instance cache; writes are read-modify-write with ETags, retried on conflict.
/// </summary>
public sealed class TableAccountHealthStore(StateTables tables, IOptionsMonitor<StateOptions> options, TimeProvider time) : IAccountHealthStore
{
    private const string Partition = "account";
    private const int MaxReasonLength = 1000;

    private readonly ConcurrentDictionary<string, (AccountHealth Health, DateTimeOffset ReadAt)> _cache = new();

    public async ValueTask<AccountHealth> GetAsync(string accountId, CancellationToken cancellationToken)
    {
        if (TryGetFresh(accountId, out var fresh))
        {
            return fresh;
        }

        var (health, _) = await ReadAsync(await tables.GetAsync(StateTables.Health, cancellationToken), accountId, cancellationToken);
        return Remember(accountId, health);
    }

    public async ValueTask<AccountHealth> UpdateAsync(string accountId, Func<AccountHealth, AccountHealth> update, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StateTables.Health, cancellationToken);
        var maxAttempts = options.CurrentValue.MaxConflictRetries;
        for (var attempt = 1; ; attempt++)
        {
            var (current, etag) = await ReadAsync(table, accountId, cancellationToken);
            var next = update(current);
            if (etag is not null && next == current)
            {
                return Remember(accountId, current);
            }

            try
            {
                var entity = ToEntity(accountId, next);
                if (etag is null)
                {
                    await table.AddEntityAsync(entity, cancellationToken);
                }
                else
                {
                    await table.UpdateEntityAsync(entity, etag.Value, TableUpdateMode.Replace, cancellationToken);
                }

                return Remember(accountId, next);
            }
            catch (RequestFailedException ex) when (IsConflict(ex) && attempt < maxAttempts)
            {
                // Another instance wrote first: apply the update again to what it wrote.
            }
        }
    }

    /// <summary>The cached health when it is younger than the cache TTL: no storage call, no breaker.</summary>
    public bool TryGetFresh(string accountId, out AccountHealth health)
    {
        if (_cache.TryGetValue(accountId, out var cached) && time.GetUtcNow() - cached.ReadAt < options.CurrentValue.CacheTtl)
        {
            health = cached.Health;
            return true;
        }

        health = AccountHealth.Healthy;
        return false;
    }

    private static bool IsConflict(RequestFailedException ex) =>
        ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed;

    private AccountHealth Remember(string accountId, AccountHealth health)
    {
        _cache[accountId] = (health, time.GetUtcNow());
        return health;
    }

    private static async Task<(AccountHealth Health, ETag? ETag)> ReadAsync(TableClient table, string accountId, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(Partition, accountId, cancellationToken: cancellationToken);
        return response.HasValue ? (FromEntity(response.Value!), response.Value!.ETag) : (AccountHealth.Healthy, null);
    }

    private static AccountHealth FromEntity(TableEntity entity) => new()
    {
        ChatCooldownUntil = entity.GetDateTimeOffset(nameof(AccountHealth.ChatCooldownUntil)),
        ImageCooldownUntil = entity.GetDateTimeOffset(nameof(AccountHealth.ImageCooldownUntil)),
        VideoCooldownUntil = entity.GetDateTimeOffset(nameof(AccountHealth.VideoCooldownUntil)),
        Invalid = entity.GetBoolean(nameof(AccountHealth.Invalid)) ?? false,
        InvalidReason = entity.GetString(nameof(AccountHealth.InvalidReason)),
        InvalidSince = entity.GetDateTimeOffset(nameof(AccountHealth.InvalidSince)),
        LastErrorKind = entity.GetString(nameof(AccountHealth.LastErrorKind)),
    };

    private static TableEntity ToEntity(string accountId, AccountHealth health) => new(Partition, accountId)
    {
        [nameof(AccountHealth.ChatCooldownUntil)] = health.ChatCooldownUntil,
        [nameof(AccountHealth.ImageCooldownUntil)] = health.ImageCooldownUntil,
        [nameof(AccountHealth.VideoCooldownUntil)] = health.VideoCooldownUntil,
        [nameof(AccountHealth.Invalid)] = health.Invalid,
        [nameof(AccountHealth.InvalidReason)] = health.InvalidReason is { Length: > MaxReasonLength } reason ? reason[..MaxReasonLength] : health.InvalidReason,
        [nameof(AccountHealth.InvalidSince)] = health.InvalidSince,
        [nameof(AccountHealth.LastErrorKind)] = health.LastErrorKind,
    };
}
