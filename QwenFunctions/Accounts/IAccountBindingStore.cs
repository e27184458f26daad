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

    /// <summary>
    /// An uploaded file's id → what a chat needs to attach it (owner account, name, type, size, URL without its
    /// signature), as JSON. Bound with the file's <see cref="File"/> binding, under the same caller and lifetime.
    /// </summary>
    FileDetails,
}

/// <summary>
/// Remembers which account owns an upstream chat or file, so later calls go to the same account. The value is an
/// account id, except for <see cref="BindingKind.Continuation"/> and <see cref="BindingKind.FileDetails"/> (see there).
/// </summary>
public interface IAccountBindingStore
{
    ValueTask<string?> FindAccountAsync(BindingKind kind, string key, CancellationToken cancellationToken);

    ValueTask BindAsync(BindingKind kind, string key, string accountId, CancellationToken cancellationToken);
}
