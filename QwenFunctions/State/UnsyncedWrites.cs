using Microsoft.Extensions.Logging;

namespace QwenFunctions.State;

/// <summary>
/// Writes a shared store holds in memory until the table has them: written behind a request, or made while the
/// table was unreachable. Bounded: past <see cref="Capacity"/> the oldest is dropped (and counted), so an outage
/// never costs unbounded memory. Pushed by one background pump; a request never waits for it.
/// </summary>
internal sealed class UnsyncedWrites<TKey, TValue>
    where TKey : notnull
{
    private readonly Func<TKey, TValue, CancellationToken, Task<bool>> _push;
    private readonly int _parallelism;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value)>> _index = [];
    private readonly LinkedList<(TKey Key, TValue Value)> _oldestFirst = new();
    private long _dropped;
    private int _pumping;
    private bool _failedSinceLastDrain;

    /// <param name="push">Writes one entry to the table; false when it did not get through (the pump then waits for the next kick).</param>
    /// <param name="parallelism">Entries pushed at once.</param>
    public UnsyncedWrites(int capacity, Func<TKey, TValue, CancellationToken, Task<bool>> push, ILogger logger, int parallelism = 1)
    {
        Capacity = capacity;
        _push = push;
        _parallelism = parallelism;
        _logger = logger;
    }

    public int Capacity { get; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _index.Count;
            }
        }
    }

    /// <summary>Entries dropped, oldest first, because the backlog was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Remembers a write (replacing an older one for the same key); the oldest is dropped past the capacity.</summary>
    public void Add(TKey key, TValue value)
    {
        lock (_gate)
        {
            if (_index.Remove(key, out var older))
            {
                _oldestFirst.Remove(older);
            }

            _index[key] = _oldestFirst.AddLast((key, value));
            while (_index.Count > Capacity)
            {
                var oldest = _oldestFirst.First!;
                _oldestFirst.RemoveFirst();
                _index.Remove(oldest.Value.Key);
                _dropped++;
            }
        }
    }

    public bool Contains(TKey key)
    {
        lock (_gate)
        {
            return _index.ContainsKey(key);
        }
    }

    /// <summary>Starts the pump unless it is running. Returns at once: nothing a request does waits for the table here.</summary>
    public void PushInBackground()
    {
        if (Count > 0 && Interlocked.CompareExchange(ref _pumping, 1, 0) == 0)
        {
            // Not in the request's execution context: a pump that outlives the request must not keep it alive.
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(() => PumpAsync(CancellationToken.None));
            }
        }
    }

    /// <summary>Pushes what is pending now, for a host that is stopping (bounded by <paramref name="cancellationToken"/>).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        while (Count > 0 && !cancellationToken.IsCancellationRequested)
        {
            if (Interlocked.CompareExchange(ref _pumping, 1, 0) == 0)
            {
                if (!await PumpAsync(cancellationToken))
                {
                    return;
                }
            }
            else
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
            }
        }
    }

    /// <returns>False when a push did not get through.</returns>
    private async Task<bool> PumpAsync(CancellationToken cancellationToken)
    {
        var allThrough = true;
        var pushed = 0;
        try
        {
            while (allThrough && Oldest() is { Count: > 0 } batch)
            {
                var results = await Task.WhenAll(batch.Select(node => PushOneAsync(node, cancellationToken)));
                pushed += results.Count(r => r);
                allThrough = results.All(r => r);
            }
        }
        finally
        {
            Volatile.Write(ref _pumping, 0);
        }

        lock (_gate)
        {
            var wasBehind = _failedSinceLastDrain;
            _failedSinceLastDrain = !allThrough;
            if (allThrough && wasBehind && pushed > 0)
            {
                Log.Resynced(_logger, pushed);
            }
        }

        // An entry added between the last look and the flag's release would otherwise wait for the next kick.
        if (allThrough)
        {
            PushInBackground();
        }

        return allThrough;
    }

    private List<LinkedListNode<(TKey Key, TValue Value)>> Oldest()
    {
        lock (_gate)
        {
            var batch = new List<LinkedListNode<(TKey Key, TValue Value)>>(Math.Min(_parallelism, _index.Count));
            for (var node = _oldestFirst.First; node is not null && batch.Count < _parallelism; node = node.Next)
            {
                batch.Add(node);
            }

            return batch;
        }
    }

    private async Task<bool> PushOneAsync(LinkedListNode<(TKey Key, TValue Value)> node, CancellationToken cancellationToken)
    {
        bool done;
        try
        {
            done = await _push(node.Value.Key, node.Value.Value, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            done = false;
        }

        if (done)
        {
            lock (_gate)
            {
                // Only the entry that was pushed: a newer write for the same key replaced the node and stays pending.
                if (node.List is not null && _index.TryGetValue(node.Value.Key, out var current) && current == node)
                {
                    _index.Remove(node.Value.Key);
                    _oldestFirst.Remove(node);
                }
            }
        }

        return done;
    }
}
