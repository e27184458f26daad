using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace QwenFunctions.Responses;

/// <summary>This instance's responses, bounded: past the cap the oldest tenth is dropped (and answers 404 afterwards).</summary>
public sealed class InMemoryResponseStore(IOptionsMonitor<ResponsesOptions> options, TimeProvider time) : IResponseStore
{
    private readonly ConcurrentDictionary<(string Owner, string Id), StoredResponse> _responses = new();

    public ValueTask SaveAsync(StoredResponse response, CancellationToken cancellationToken)
    {
        _responses[(response.Owner, response.Id)] = response;
        var max = options.CurrentValue.MaxInMemory;
        if (_responses.Count > max)
        {
            Prune(max);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<StoredResponse?> FindAsync(string owner, string id, CancellationToken cancellationToken)
    {
        if (_responses.TryGetValue((owner, id), out var stored))
        {
            if (time.GetUtcNow() - stored.StoredAt < options.CurrentValue.StoreLifetime)
            {
                return ValueTask.FromResult<StoredResponse?>(stored);
            }

            _responses.TryRemove((owner, id), out _);
        }

        return ValueTask.FromResult<StoredResponse?>(null);
    }

    public async ValueTask<bool> DeleteAsync(string owner, string id, CancellationToken cancellationToken) =>
        await FindAsync(owner, id, cancellationToken) is not null && _responses.TryRemove((owner, id), out _);

    private void Prune(int max)
    {
        var cutoff = time.GetUtcNow() - options.CurrentValue.StoreLifetime;
        foreach (var (key, value) in _responses)
        {
            if (value.StoredAt <= cutoff)
            {
                _responses.TryRemove(key, out _);
            }
        }

        var excess = _responses.Count - max;
        if (excess > 0)
        {
            foreach (var (key, _) in _responses.OrderBy(r => r.Value.StoredAt).Take(excess + (max / 10)))
            {
                _responses.TryRemove(key, out _);
            }
        }
    }

    internal int Count => _responses.Count;
}
