using System.Collections.Concurrent;

namespace QwenFunctions.Accounts;

public sealed class InMemoryAccountHealthStore : IAccountHealthStore
{
    private readonly ConcurrentDictionary<string, AccountHealth> _health = new();

    public ValueTask<AccountHealth> GetAsync(string accountId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_health.GetValueOrDefault(accountId, AccountHealth.Healthy));

    /// <summary>The health held now, without the async shape (for metric callbacks).</summary>
    internal AccountHealth Current(string accountId) => _health.GetValueOrDefault(accountId, AccountHealth.Healthy);

    public ValueTask<AccountHealth> UpdateAsync(string accountId, Func<AccountHealth, AccountHealth> update, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_health.AddOrUpdate(accountId, _ => update(AccountHealth.Healthy), (_, current) => update(current)));
}
