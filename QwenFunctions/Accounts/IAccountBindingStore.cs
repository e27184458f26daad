namespace QwenFunctions.Accounts;

/// <summary>Upstream chats and uploaded files belong to the account that created them.</summary>
public enum BindingKind
{
    Conversation,
    File,
}

/// <summary>Remembers which account owns an upstream chat or file, so later calls go to the same account.</summary>
public interface IAccountBindingStore
{
    ValueTask<string?> FindAccountAsync(BindingKind kind, string key, CancellationToken cancellationToken);

    ValueTask BindAsync(BindingKind kind, string key, string accountId, CancellationToken cancellationToken);
}
