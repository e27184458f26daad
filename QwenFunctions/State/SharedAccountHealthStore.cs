using System.Collections.Concurrent;
using System.Net;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QwenFunctions.Accounts;

namespace QwenFunctions.State;

/// <summary>
/// Account health shared in one table row per account (PartitionKey "account", RowKey = the account fingerprint; never
/// a token), with this instance's memory as its one cache and its fallback. A row read less than
/// <see cref="StateOptions.CacheTtl"/> ago is served from memory; writes are read-modify-write with ETags, retried on
/// conflict. Every table call goes through the breaker: a change the table did not take stays in memory and in the
/// capped backlog, and is merged into the row once the table answers again.
/// </summary>
public sealed class SharedAccountHealthStore : IAccountHealthStore
{
    private const string Partition = "account";
    private const int MaxReasonLength = 1000;

    private readonly StateTables _tables;
    private readonly InMemoryAccountHealthStore _memory;
    private readonly StorageCircuitBreaker _breaker;
    private readonly IOptionsMonitor<StateOptions> _options;
    private readonly TimeProvider _time;
    private readonly UnsyncedWrites<string, byte> _unsynced;

    // When memory last took the row from the table, per account.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _readAt = new();

    public SharedAccountHealthStore(
        StateTables tables,
        InMemoryAccountHealthStore memory,
        StorageCircuitBreaker breaker,
        IOptionsMonitor<StateOptions> options,
        TimeProvider time,
        ILogger<SharedAccountHealthStore> logger)
    {
        _tables = tables;
        _memory = memory;
        _breaker = breaker;
        _options = options;
        _time = time;
        _unsynced = new(options.CurrentValue.MaxUnsyncedWrites, PushAsync, logger);

        // Push what was learned during the outage as soon as the store is back, not only on this store's next call.
        breaker.Closed += _unsynced.PushInBackground;
    }

    /// <summary>Accounts whose health changed while the table was unreachable and is not in the table yet.</summary>
    internal int Unsynced => _unsynced.Count;

    internal long Dropped => _unsynced.Dropped;

    public async ValueTask<AccountHealth> GetAsync(string accountId, CancellationToken cancellationToken)
    {
        // The hot path: the pool asks for every account on every request.
        if (!_unsynced.Contains(accountId) && _readAt.TryGetValue(accountId, out var readAt)
            && _time.GetUtcNow() - readAt < _options.CurrentValue.CacheTtl)
        {
            return await _memory.GetAsync(accountId, cancellationToken);
        }

        var (done, shared) = await _breaker.TryExecuteAsync(async ct => (await ReadAsync(await HealthTableAsync(ct), accountId, ct)).Health, cancellationToken);
        return done ? await RememberAsync(accountId, shared, cancellationToken) : await _memory.GetAsync(accountId, cancellationToken);
    }

    public async ValueTask<AccountHealth> UpdateAsync(string accountId, Func<AccountHealth, AccountHealth> update, CancellationToken cancellationToken)
    {
        var (done, shared) = await _breaker.TryExecuteAsync(ct => UpdateRowAsync(accountId, update, ct), cancellationToken);
        if (!done)
        {
            // Memory first: a push running between the two would otherwise write the old health and clear the mark.
            var updated = await _memory.UpdateAsync(accountId, update, cancellationToken);
            _unsynced.Add(accountId, 0);
            return updated;
        }

        return await RememberAsync(accountId, shared, cancellationToken);
    }

    /// <summary>Pushes what the table does not have yet, for a host that is stopping.</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => _unsynced.FlushAsync(cancellationToken);

    /// <summary>
    /// What the table says combined with what this instance learned while the table was unreachable. Health only gets
    /// worse until a cooldown ends (cooldowns extend, invalidation sticks), so keeping the worse of both loses nothing.
    /// </summary>
    internal static AccountHealth Merge(AccountHealth shared, AccountHealth local) => shared with
    {
        ChatCooldownUntil = Later(shared.ChatCooldownUntil, local.ChatCooldownUntil),
        ImageCooldownUntil = Later(shared.ImageCooldownUntil, local.ImageCooldownUntil),
        VideoCooldownUntil = Later(shared.VideoCooldownUntil, local.VideoCooldownUntil),
        Invalid = shared.Invalid || local.Invalid,
        InvalidReason = shared.Invalid ? shared.InvalidReason : local.InvalidReason,
        InvalidSince = shared.Invalid ? shared.InvalidSince : local.InvalidSince,
        LastErrorKind = local.LastErrorKind ?? shared.LastErrorKind,
    };

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private async ValueTask<AccountHealth> RememberAsync(string accountId, AccountHealth shared, CancellationToken cancellationToken)
    {
        // What this instance learned during an outage stays in the answer until the table has it too; the push runs
        // behind the request.
        var pending = _unsynced.Contains(accountId);
        _unsynced.PushInBackground();
        _readAt[accountId] = _time.GetUtcNow();
        return await _memory.UpdateAsync(accountId, local => pending ? Merge(shared, local) : shared, cancellationToken);
    }

    private async Task<bool> PushAsync(string accountId, byte marker, CancellationToken cancellationToken)
    {
        var local = await _memory.GetAsync(accountId, cancellationToken);
        var (done, merged) = await _breaker.TryExecuteAsync(ct => UpdateRowAsync(accountId, shared => Merge(shared, local), ct), cancellationToken);
        if (done)
        {
            _readAt[accountId] = _time.GetUtcNow();
            await _memory.UpdateAsync(accountId, _ => merged, cancellationToken);
        }

        return done;
    }

    private ValueTask<TableClient> HealthTableAsync(CancellationToken cancellationToken) => _tables.GetAsync(StateTables.Health, cancellationToken);

    private async Task<AccountHealth> UpdateRowAsync(string accountId, Func<AccountHealth, AccountHealth> update, CancellationToken cancellationToken)
    {
        var table = await HealthTableAsync(cancellationToken);
        var maxAttempts = _options.CurrentValue.MaxConflictRetries;
        for (var attempt = 1; ; attempt++)
        {
            var (current, etag) = await ReadAsync(table, accountId, cancellationToken);
            var next = update(current);
            if (etag is not null && next == current)
            {
                return current;
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

                return next;
            }
            catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed && attempt < maxAttempts)
            {
                // Another instance wrote first: apply the update again to what it wrote.
            }
        }
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
