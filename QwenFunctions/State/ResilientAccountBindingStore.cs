using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using QwenFunctions.Accounts;

namespace QwenFunctions.State;

/// <summary>
/// Bindings in the table behind the breaker, mirrored in memory. A conversation started during an outage still
/// continues on this instance, and its binding reaches the table when the table answers again.
/// </summary>
public sealed class ResilientAccountBindingStore(
    TableAccountBindingStore table,
    InMemoryAccountBindingStore memory,
    StorageCircuitBreaker breaker,
    ILogger<ResilientAccountBindingStore> logger) : IAccountBindingStore
{
    private readonly ConcurrentDictionary<(BindingKind Kind, string Key), string> _unsynced = new();
    private readonly SemaphoreSlim _resync = new(1, 1);

    public async ValueTask<string?> FindAccountAsync(BindingKind kind, string key, CancellationToken cancellationToken)
    {
        var (done, accountId) = await breaker.TryExecuteAsync(ct => table.FindAccountAsync(kind, key, ct).AsTask(), cancellationToken);
        if (done)
        {
            await ResyncAsync(cancellationToken);
        }

        return done && accountId is not null ? accountId : await memory.FindAccountAsync(kind, key, cancellationToken);
    }

    public async ValueTask BindAsync(BindingKind kind, string key, string accountId, CancellationToken cancellationToken)
    {
        await memory.BindAsync(kind, key, accountId, cancellationToken);
        if (await breaker.TryExecuteAsync(ct => table.BindAsync(kind, key, accountId, ct).AsTask(), cancellationToken))
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
        if (_unsynced.IsEmpty || !await _resync.WaitAsync(0, cancellationToken))
        {
            return;
        }

        try
        {
            var pushed = 0;
            foreach (var ((kind, key), accountId) in _unsynced)
            {
                if (!await breaker.TryExecuteAsync(ct => table.BindAsync(kind, key, accountId, ct).AsTask(), cancellationToken))
                {
                    break;
                }

                _unsynced.TryRemove(new KeyValuePair<(BindingKind, string), string>((kind, key), accountId));
                pushed++;
            }

            if (pushed > 0)
            {
                Log.Resynced(logger, pushed);
            }
        }
        finally
        {
            _resync.Release();
        }
    }
}
