using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using QwenFunctions.Accounts;

namespace QwenFunctions.State;

/// <summary>
/// Bindings in the table behind the breaker, mirrored in memory. A conversation started during an outage still
/// continues on this instance, and its binding reaches the table when the table answers again.
/// </summary>
public sealed class ResilientAccountBindingStore : IAccountBindingStore
{
    private readonly TableAccountBindingStore _table;
    private readonly InMemoryAccountBindingStore _memory;
    private readonly StorageCircuitBreaker _breaker;
    private readonly ILogger<ResilientAccountBindingStore> _logger;
    private readonly ConcurrentDictionary<(BindingKind Kind, string Key), string> _unsynced = new();
    private readonly SemaphoreSlim _resync = new(1, 1);

    public ResilientAccountBindingStore(TableAccountBindingStore table, InMemoryAccountBindingStore memory, StorageCircuitBreaker breaker, ILogger<ResilientAccountBindingStore> logger)
    {
        _table = table;
        _memory = memory;
        _breaker = breaker;
        _logger = logger;

        // Push what was learned during the outage as soon as the store is back, not only on this store's next call.
        breaker.Closed += () => _ = ResyncAsync(CancellationToken.None);
    }

    public async ValueTask<string?> FindAccountAsync(BindingKind kind, string key, CancellationToken cancellationToken)
    {
        // A chat or file never changes owner, so a binding this instance already knows needs no storage call.
        if (await _memory.FindAccountAsync(kind, key, cancellationToken) is { } known)
        {
            return known;
        }

        var (done, accountId) = await _breaker.TryExecuteAsync(ct => _table.FindAccountAsync(kind, key, ct).AsTask(), cancellationToken);
        if (!done || accountId is null)
        {
            return null;
        }

        await _memory.BindAsync(kind, key, accountId, cancellationToken);
        await ResyncAsync(cancellationToken);
        return accountId;
    }

    public async ValueTask BindAsync(BindingKind kind, string key, string accountId, CancellationToken cancellationToken)
    {
        await _memory.BindAsync(kind, key, accountId, cancellationToken);
        if (await _breaker.TryExecuteAsync(ct => _table.BindAsync(kind, key, accountId, ct).AsTask(), cancellationToken))
        {
            await ResyncAsync(cancellationToken);
        }
        else
        {
            _unsynced[(kind, key)] = accountId;
        }
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
            foreach (var ((kind, key), accountId) in _unsynced)
            {
                if (!await _breaker.TryExecuteAsync(ct => _table.BindAsync(kind, key, accountId, ct).AsTask(), cancellationToken))
                {
                    break;
                }

                _unsynced.TryRemove(new KeyValuePair<(BindingKind, string), string>((kind, key), accountId));
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
