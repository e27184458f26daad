using System.Collections.Concurrent;
using System.Net;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QwenFunctions.Accounts;
using QwenFunctions.Configuration;

namespace QwenFunctions.State;

/// <summary>
/// One row per refresh account in the Credentials table (PartitionKey "refresh", RowKey = the account id, a fingerprint
/// of the configured refresh token): the rotated refresh token (AES-GCM, never plain text), what the last refresh did,
/// and the refresh lease. Every write is ETag-guarded, so two instances never both take the lease. When the table is
/// unreachable the lease is this instance's alone and outcomes wait in memory (a rotated token first of all) until a
/// later call or the breaker's recovery pushes them.
/// </summary>
public sealed class TableRefreshTokenStore : IRefreshTokenStore
{
    private const string Partition = "refresh";

    private readonly StateTables _tables;
    private readonly StorageCircuitBreaker _breaker;
    private readonly TokenCipher? _cipher;
    private readonly IOptionsMonitor<StateOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TableRefreshTokenStore> _logger;
    private readonly ConcurrentDictionary<string, string> _known = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RefreshRecord> _records = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);

    public TableRefreshTokenStore(
        StateTables tables,
        StorageCircuitBreaker breaker,
        IOptions<QwenOptions> qwen,
        IOptionsMonitor<StateOptions> options,
        TimeProvider time,
        ILogger<TableRefreshTokenStore> logger)
    {
        _tables = tables;
        _breaker = breaker;
        _cipher = TokenCipher.From(qwen.Value.TokenEncryptionKey);
        _options = options;
        _time = time;
        _logger = logger;
        breaker.Closed += () => _ = PushAllAsync();
    }

    /// <summary>Accounts whose refresh outcome (maybe a rotated token) the table does not have yet.</summary>
    internal int Unsynced => _pending.Count;

    public async ValueTask<RefreshLeaseResult> TryLeaseAsync(string accountId, string holder, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await PushAsync(accountId, cancellationToken);
        var (done, result) = !_pending.ContainsKey(accountId)
            ? await _breaker.TryExecuteAsync(ct => LeaseInTableAsync(accountId, holder, until, ct), cancellationToken)
            : (false, default);
        if (done)
        {
            return result;
        }

        // No table: other instances cannot be asked, this one's gate already serializes its own refreshes.
        Log.RefreshLeaseLocal(_logger, accountId);
        return new RefreshLeaseResult(new RefreshLease(accountId, holder, until, _known.GetValueOrDefault(accountId)), null);
    }

    public async ValueTask ReleaseAsync(RefreshLease lease, RefreshOutcome? outcome, CancellationToken cancellationToken)
    {
        if (outcome is not null)
        {
            if (outcome.RotatedRefreshToken is { } rotated)
            {
                _known[lease.AccountId] = rotated;
            }

            _records.AddOrUpdate(lease.AccountId, _ => RefreshRecord.None.After(outcome), (_, r) => r.After(outcome));
        }

        var pending = _pending.AddOrUpdate(lease.AccountId, _ => new Pending(lease.Holder, outcome), (_, p) => p.With(lease.Holder, outcome));
        await PushAsync(lease.AccountId, cancellationToken);
        if (_pending.ContainsKey(lease.AccountId) && pending.RotatedToken is not null)
        {
            Log.RotatedTokenNotStored(_logger, lease.AccountId);
        }
    }

    public async ValueTask<RefreshRecord> GetRecordAsync(string accountId, CancellationToken cancellationToken)
    {
        if (_pending.ContainsKey(accountId))
        {
            return _records.GetValueOrDefault(accountId, RefreshRecord.None);
        }

        var (done, record) = await _breaker.TryExecuteAsync(async ct =>
        {
            var table = await _tables.GetAsync(StateTables.Credentials, ct);
            var row = await table.GetEntityIfExistsAsync<TableEntity>(Partition, accountId, cancellationToken: ct);
            return row.HasValue ? RecordOf(row.Value!) : RefreshRecord.None;
        }, cancellationToken);
        return done ? _records[accountId] = record : _records.GetValueOrDefault(accountId, RefreshRecord.None);
    }

    private async Task<RefreshLeaseResult> LeaseInTableAsync(string accountId, string holder, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var table = await _tables.GetAsync(StateTables.Credentials, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(Partition, accountId, cancellationToken: cancellationToken);
            var entity = row.HasValue ? row.Value! : new TableEntity(Partition, accountId);
            var heldBy = entity.GetString(Columns.LeaseHolder);
            if (heldBy is not null && heldBy != holder && entity.GetDateTimeOffset(Columns.LeaseUntil) is { } busyUntil && busyUntil > _time.GetUtcNow())
            {
                return RefreshLeaseResult.Busy(busyUntil);
            }

            entity[Columns.LeaseHolder] = holder;
            entity[Columns.LeaseUntil] = until;
            try
            {
                var written = row.HasValue
                    ? await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken)
                    : await table.AddEntityAsync(entity, cancellationToken);
                _records[accountId] = RecordOf(entity);
                return new RefreshLeaseResult(new RefreshLease(accountId, holder, until, TokenOf(entity), written.Headers.ETag), null);
            }
            catch (RequestFailedException ex) when (IsConflict(ex) && attempt < _options.CurrentValue.MaxConflictRetries)
            {
                // Another instance wrote first (took the lease, or released its own): read again.
            }
        }
    }

    /// <summary>Writes what the table does not have yet for one account; false when the table is unreachable.</summary>
    private async Task PushAsync(string accountId, CancellationToken cancellationToken)
    {
        if (!_pending.TryGetValue(accountId, out var pending))
        {
            return;
        }

        var (done, _) = await _breaker.TryExecuteAsync(ct => WriteAsync(accountId, pending, ct), cancellationToken);
        if (done)
        {
            // Only what was pushed: an outcome added meanwhile stays for the next push.
            _pending.TryRemove(new KeyValuePair<string, Pending>(accountId, pending));
        }
    }

    /// <summary>
    /// Pushes what the table does not have yet, for a host that is stopping: a rotated refresh token held only here
    /// would otherwise be lost with the process, and the next host would send the retired one.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var accountId in _pending.Keys)
        {
            await PushAsync(accountId, cancellationToken);
        }
    }

    private Task PushAllAsync() => FlushAsync(CancellationToken.None);

    private async Task<bool> WriteAsync(string accountId, Pending pending, CancellationToken cancellationToken)
    {
        var table = await _tables.GetAsync(StateTables.Credentials, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(Partition, accountId, cancellationToken: cancellationToken);
            var entity = row.HasValue ? row.Value! : new TableEntity(Partition, accountId);
            var record = RecordOf(entity);
            foreach (var outcome in pending.Outcomes)
            {
                record = record.After(outcome);
            }

            if (pending.RotatedToken is { } rotated)
            {
                if (_cipher is null)
                {
                    // No key: nothing may be stored in plain text. The token stays in this instance's memory.
                    throw new InvalidOperationException("QWEN_TOKEN_ENCRYPTION_KEY is not set; a rotated refresh token cannot be stored.");
                }

                entity[Columns.Token] = _cipher.Encrypt(rotated, accountId);
                entity[Columns.KeyId] = _cipher.KeyId;
            }

            entity[Columns.TokenFingerprint] = record.RotatedTokenFingerprint;
            entity[Columns.RotatedAt] = record.RotatedAt;
            entity[Columns.LastRefreshAt] = record.LastRefreshAt;
            entity[Columns.LastRefreshOutcome] = record.LastOutcome;
            entity[Columns.RefreshFailures] = record.RefreshFailures;
            if (entity.GetString(Columns.LeaseHolder) == pending.Holder)
            {
                entity[Columns.LeaseHolder] = null;
                entity[Columns.LeaseUntil] = null;
            }

            try
            {
                if (row.HasValue)
                {
                    await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await table.AddEntityAsync(entity, cancellationToken);
                }

                _records[accountId] = record;
                return true;
            }
            catch (RequestFailedException ex) when (IsConflict(ex) && attempt < _options.CurrentValue.MaxConflictRetries)
            {
                // Another instance changed the row (its own lease or outcome): apply ours again to what it wrote.
            }
        }
    }

    /// <summary>The stored rotated token, or null (none yet, or unreadable: then the configured token is the fallback).</summary>
    private string? TokenOf(TableEntity entity)
    {
        if (entity.GetString(Columns.Token) is not { } stored)
        {
            return null;
        }

        if (_cipher is null || entity.GetString(Columns.KeyId) != _cipher.KeyId || !_cipher.TryDecrypt(stored, entity.RowKey, out var token))
        {
            Log.StoredTokenUnreadable(_logger, entity.RowKey, entity.GetString(Columns.KeyId) ?? "none", _cipher?.KeyId ?? "none");
            return null;
        }

        _known[entity.RowKey] = token;
        return token;
    }

    private static RefreshRecord RecordOf(TableEntity entity) => new(
        entity.GetString(Columns.TokenFingerprint),
        entity.GetDateTimeOffset(Columns.RotatedAt),
        entity.GetDateTimeOffset(Columns.LastRefreshAt),
        entity.GetString(Columns.LastRefreshOutcome),
        entity.GetInt32(Columns.RefreshFailures) ?? 0);

    private static bool IsConflict(RequestFailedException ex) =>
        ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed;

    private static class Columns
    {
        public const string Token = "Token";
        public const string KeyId = "KeyId";
        public const string TokenFingerprint = "TokenFingerprint";
        public const string RotatedAt = "RotatedAt";
        public const string LastRefreshAt = "LastRefreshAt";
        public const string LastRefreshOutcome = "LastRefreshOutcome";
        public const string RefreshFailures = "RefreshFailures";
        public const string LeaseHolder = "LeaseHolder";
        public const string LeaseUntil = "LeaseUntil";
    }

    /// <summary>Outcomes not in the table yet, in order, and the newest rotated token among them. Holds a secret: no record.</summary>
    private sealed class Pending(string holder, IReadOnlyList<RefreshOutcome> outcomes, string? rotatedToken)
    {
        public Pending(string holder, RefreshOutcome? outcome)
            : this(holder, outcome is null ? [] : [outcome], outcome?.RotatedRefreshToken)
        {
        }

        public string Holder { get; } = holder;

        public IReadOnlyList<RefreshOutcome> Outcomes { get; } = outcomes;

        public string? RotatedToken { get; } = rotatedToken;

        public Pending With(string holder, RefreshOutcome? outcome) =>
            outcome is null ? new(holder, Outcomes, RotatedToken) : new(holder, [.. Outcomes, outcome], outcome.RotatedRefreshToken ?? RotatedToken);

        public override string ToString() => $"{Outcomes.Count} pending refresh outcomes";
    }
}
