using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using QwenFunctions.Configuration;

namespace QwenFunctions.Accounts;

/// <param name="proxy">Gives continuation fingerprints their own, shorter lifetime (Proxy:ContinuationLifetime).</param>
public sealed class InMemoryAccountBindingStore(TimeProvider timeProvider, IOptionsMonitor<ProxyOptions>? proxy = null) : IAccountBindingStore
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
        if (_bindings.TryGetValue((kind, key), out var binding) && timeProvider.GetUtcNow() - binding.BoundAt < LifetimeOf(kind))
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

    /// <summary>
    /// How long a binding of <paramref name="kind"/> is worth keeping. Every stateless answer adds a continuation
    /// fingerprint that no reader accepts past Proxy:ContinuationLifetime: kept for the full <see cref="Lifetime"/>,
    /// they would fill the ceiling and push out chats that clients still continue by id.
    /// </summary>
    internal TimeSpan LifetimeOf(BindingKind kind) =>
        kind == BindingKind.Continuation && proxy?.CurrentValue.ContinuationLifetime is { } continuation && continuation < Lifetime
            ? continuation
            : Lifetime;

    private void Prune(DateTimeOffset now)
    {
        var continuationLifetime = LifetimeOf(BindingKind.Continuation);
        foreach (var (bindingKey, value) in _bindings)
        {
            if (now - value.BoundAt >= (bindingKey.Item1 == BindingKind.Continuation ? continuationLifetime : Lifetime))
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
