using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
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
    private readonly ILogger<ResilientAccountHealthStore> _logger;
    private readonly ConcurrentDictionary<string, byte> _unsynced = new();
    private readonly SemaphoreSlim _resync = new(1, 1);

    public ResilientAccountHealthStore(TableAccountHealthStore table, InMemoryAccountHealthStore memory, StorageCircuitBreaker breaker, ILogger<ResilientAccountHealthStore> logger)
    {
        _table = table;
        _memory = memory;
        _breaker = breaker;
        _logger = logger;

        // Push what was learned during the outage as soon as the store is back, not only on this store's next call.
        breaker.Closed += () => _ = ResyncAsync(CancellationToken.None);
    }

    public async ValueTask<AccountHealth> GetAsync(string accountId, CancellationToken cancellationToken)
    {
        // The hot path: the pool asks for every account on every request.
        if (_table.TryGetFresh(accountId, out var fresh) && !_unsynced.ContainsKey(accountId))
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
            _unsynced[accountId] = 0;
            return await _memory.UpdateAsync(accountId, update, cancellationToken);
        }

        return await RememberAsync(accountId, shared, cancellationToken);
    }

    private async ValueTask<AccountHealth> RememberAsync(string accountId, AccountHealth shared, CancellationToken cancellationToken)
    {
        // What this instance learned during an outage stays in the answer until the table has it too.
        var pending = _unsynced.ContainsKey(accountId);
        await ResyncAsync(cancellationToken);
        return await _memory.UpdateAsync(accountId, local => pending ? AccountHealthMerge.Merge(shared, local) : shared, cancellationToken);
    }

    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        if (_unsynced.IsEmpty)
        {
            return;
        }

        // A resync in progress is waited for, so an answer never runs ahead of what the table has been told.
        await _resync.WaitAsync(cancellationToken);

        try
        {
            var pushed = 0;
            foreach (var accountId in _unsynced.Keys)
            {
                var local = await _memory.GetAsync(accountId, cancellationToken);
                var (done, merged) = await _breaker.TryExecuteAsync(
                    ct => _table.UpdateAsync(accountId, shared => AccountHealthMerge.Merge(shared, local), ct).AsTask(), cancellationToken);
                if (!done)
                {
                    break;
                }

                _unsynced.TryRemove(accountId, out _);
                await _memory.UpdateAsync(accountId, _ => merged, cancellationToken);
                pushed++;
            }

            if (pushed > 0)
            {
                Log.Resynced(_logger, pushed);
            }
        }
        finally
        {
            _resync.Release();
        }
    }
}
