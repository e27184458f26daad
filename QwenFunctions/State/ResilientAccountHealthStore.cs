using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QwenFunctions.Accounts;

namespace QwenFunctions.State;

/// <summary>
/// The table store behind the breaker, with memory as the fallback. Memory always holds the last known health, so an
/// outage serves recent state; changes made during an outage are pushed to the table once it answers again.
/// </summary>
public sealed class ResilientAccountHealthStore : IAccountHealthStore
{
    private readonly TableAccountHealthStore _table;
    private readonly InMemoryAccountHealthStore _memory;
    private readonly StorageCircuitBreaker _breaker;
    private readonly UnsyncedWrites<string, byte> _unsynced;

    public ResilientAccountHealthStore(
        TableAccountHealthStore table,
        InMemoryAccountHealthStore memory,
        StorageCircuitBreaker breaker,
        IOptionsMonitor<StateOptions> options,
        ILogger<ResilientAccountHealthStore> logger)
    {
        _table = table;
        _memory = memory;
        _breaker = breaker;
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
        if (_table.TryGetFresh(accountId, out var fresh) && !_unsynced.Contains(accountId))
        {
            return fresh;
        }

        var (done, shared) = await _breaker.TryExecuteAsync(ct => _table.GetAsync(accountId, ct).AsTask(), cancellationToken);
        if (!done)
        {
            return await _memory.GetAsync(accountId, cancellationToken);
        }

        return await RememberAsync(accountId, shared, cancellationToken);
    }

    public async ValueTask<AccountHealth> UpdateAsync(string accountId, Func<AccountHealth, AccountHealth> update, CancellationToken cancellationToken)
    {
        var (done, shared) = await _breaker.TryExecuteAsync(ct => _table.UpdateAsync(accountId, update, ct).AsTask(), cancellationToken);
        if (!done)
        {
            _unsynced.Add(accountId, 0);
            return await _memory.UpdateAsync(accountId, update, cancellationToken);
        }

        return await RememberAsync(accountId, shared, cancellationToken);
    }

    /// <summary>Pushes what the table does not have yet, for a host that is stopping.</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => _unsynced.FlushAsync(cancellationToken);

    private async ValueTask<AccountHealth> RememberAsync(string accountId, AccountHealth shared, CancellationToken cancellationToken)
    {
        // What this instance learned during an outage stays in the answer until the table has it too; the push runs
        // behind the request.
        var pending = _unsynced.Contains(accountId);
        _unsynced.PushInBackground();
        return await _memory.UpdateAsync(accountId, local => pending ? AccountHealthMerge.Merge(shared, local) : shared, cancellationToken);
    }

    private async Task<bool> PushAsync(string accountId, byte marker, CancellationToken cancellationToken)
    {
        var local = await _memory.GetAsync(accountId, cancellationToken);
        var (done, merged) = await _breaker.TryExecuteAsync(
            c => _table.UpdateAsync(accountId, shared => AccountHealthMerge.Merge(shared, local), c).AsTask(), cancellationToken);
        if (done)
        {
            await _memory.UpdateAsync(accountId, _ => merged, cancellationToken);
        }

        return done;
    }
}
