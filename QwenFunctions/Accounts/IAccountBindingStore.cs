namespace QwenFunctions.Accounts;

/// <summary>Upstream chats and uploaded files belong to the account that created them.</summary>
public enum BindingKind
{
    Conversation,
    File,

    /// <summary>
    /// A fingerprint of a stateless history that ends with an answer this app produced → the upstream chat position
    /// (<c>chatId/responseId</c>) holding it, so a longer replay of that history continues there. Keys are hashes: no prompt text.
    /// </summary>
    Continuation,
}

/// <summary>Remembers which account owns an upstream chat or file, so later calls go to the same account.</summary>
public interface IAccountBindingStore
{
    ValueTask<string?> FindAccountAsync(BindingKind kind, string key, CancellationToken cancellationToken);

    ValueTask BindAsync(BindingKind kind, string key, string accountId, CancellationToken cancellationToken);
}
