using System.Collections.Concurrent;

namespace QwenFunctions.Accounts;

public sealed class InMemoryAccountBindingStore(TimeProvider timeProvider) : IAccountBindingStore
{
    // Upstream keeps chats and files for weeks; a binding older than this is useless and only costs memory.
    internal static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);
    private const int PruneEvery = 1024;

    // Every stateless OpenAI request creates an upstream chat: without a ceiling, a busy instance would keep a month of
    // them. Past it the oldest tenth is dropped; a dropped conversation answers 404 and the client starts a new one.
    internal const int MaxEntries = 200_000;

    private readonly ConcurrentDictionary<(BindingKind, string), (string AccountId, DateTimeOffset BoundAt)> _bindings = new();
    private int _writes;

    public ValueTask<string?> FindAccountAsync(BindingKind kind, string key, CancellationToken cancellationToken)
    {
        if (_bindings.TryGetValue((kind, key), out var binding) && timeProvider.GetUtcNow() - binding.BoundAt < Lifetime)
        {
            return ValueTask.FromResult<string?>(binding.AccountId);
        }

        return ValueTask.FromResult<string?>(null);
    }

    public ValueTask BindAsync(BindingKind kind, string key, string accountId, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        _bindings[(kind, key)] = (accountId, now);
        if (Interlocked.Increment(ref _writes) % PruneEvery == 0)
        {
            Prune(now);
        }

        return ValueTask.CompletedTask;
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (bindingKey, value) in _bindings)
        {
            if (now - value.BoundAt >= Lifetime)
            {
                _bindings.TryRemove(bindingKey, out _);
            }
        }

        var excess = _bindings.Count - MaxEntries;
        if (excess > 0)
        {
            foreach (var (bindingKey, _) in _bindings.OrderBy(b => b.Value.BoundAt).Take(excess + (MaxEntries / 10)))
            {
                _bindings.TryRemove(bindingKey, out _);
            }
        }
    }

    internal int Count => _bindings.Count;
}
