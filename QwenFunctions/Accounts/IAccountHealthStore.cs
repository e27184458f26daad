namespace QwenFunctions.Accounts;

/// <summary>Where account health lives: memory for one instance, a shared table when the app scales out.</summary>
public interface IAccountHealthStore
{
    ValueTask<AccountHealth> GetAsync(string accountId, CancellationToken cancellationToken);

    /// <summary>Applies <paramref name="update"/> atomically (implementations retry on write conflicts).</summary>
    ValueTask<AccountHealth> UpdateAsync(string accountId, Func<AccountHealth, AccountHealth> update, CancellationToken cancellationToken);
}
