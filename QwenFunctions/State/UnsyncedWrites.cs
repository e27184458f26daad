using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace QwenFunctions.State;

/// <summary>
/// Writes a resilient store made in memory only while the table was unreachable, pushed once the table answers again.
/// </summary>
internal sealed class UnsyncedWrites<TKey, TValue>(ILogger logger)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _pending = new();
    private readonly SemaphoreSlim _resync = new(1, 1);

    public void Add(TKey key, TValue value) => _pending[key] = value;

    public bool Contains(TKey key) => _pending.ContainsKey(key);

    /// <summary>Pushes the pending writes in turn until one does not get through (<paramref name="push"/> answers false).</summary>
    public async Task PushAsync(Func<TKey, TValue, CancellationToken, Task<bool>> push, CancellationToken cancellationToken)
    {
        if (_pending.IsEmpty)
        {
            return;
        }

        // A resync in progress is waited for, so an answer never runs ahead of what the table has been told.
        await _resync.WaitAsync(cancellationToken);

        try
        {
            var pushed = 0;
            foreach (var (key, value) in _pending)
            {
                if (!await push(key, value, cancellationToken))
                {
                    break;
                }

                // Only if unchanged meanwhile: a newer write stays pending.
                _pending.TryRemove(new KeyValuePair<TKey, TValue>(key, value));
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
