using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QwenFunctions.Accounts;

namespace QwenFunctions.State;

/// <summary>
/// Bindings in memory at once and in the table behind the request (write-behind), so a new chat never waits for
/// storage. Another instance that is asked to continue a chat whose binding is still on its way polls the table for
/// it, bounded by <see cref="StateOptions.BindingWaitTimeout"/>. During an outage the writes wait in a capped backlog
/// and reach the table when it answers again.
/// </summary>
public sealed class ResilientAccountBindingStore : IAccountBindingStore
{
    // Parallel writes of the pump: a burst of new chats drains at the table's pace, not one round trip at a time.
    private const int WriteParallelism = 8;
    private static readonly TimeSpan FirstPollDelay = TimeSpan.FromMilliseconds(25);

    private readonly TableAccountBindingStore _table;
    private readonly InMemoryAccountBindingStore _memory;
    private readonly StorageCircuitBreaker _breaker;
    private readonly IOptionsMonitor<StateOptions> _options;
    private readonly TimeProvider _time;
    private readonly UnsyncedWrites<(BindingKind Kind, string Key), string> _unsynced;

    public ResilientAccountBindingStore(
        TableAccountBindingStore table,
        InMemoryAccountBindingStore memory,
        StorageCircuitBreaker breaker,
        IOptionsMonitor<StateOptions> options,
        TimeProvider time,
        ILogger<ResilientAccountBindingStore> logger)
    {
        _table = table;
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
            var (done, accountId) = await _breaker.TryExecuteAsync(ct => _table.FindAccountAsync(kind, key, ct).AsTask(), cancellationToken);
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

    private Task<bool> PushAsync((BindingKind Kind, string Key) binding, string accountId, CancellationToken cancellationToken) =>
        _breaker.TryExecuteAsync(ct => _table.BindAsync(binding.Kind, binding.Key, accountId, ct).AsTask(), cancellationToken);
}
