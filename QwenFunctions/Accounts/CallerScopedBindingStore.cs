using QwenFunctions.Http;

namespace QwenFunctions.Accounts;

/// <summary>
/// Upstream chats and uploaded files belong to the caller that created them as well as to an account: every binding
/// is stored and found under the caller's id (<see cref="RequestCaller"/>, a key id, never a key), so another API key
/// finds nothing for the id and gets exactly the answer of an unknown id. With API_KEYS unset all callers are one.
/// </summary>
public sealed class CallerScopedBindingStore(IAccountBindingStore inner) : IAccountBindingStore
{
    /// <summary>The store that holds the scoped rows (shared table or memory).</summary>
    public IAccountBindingStore Inner => inner;

    public ValueTask<string?> FindAccountAsync(BindingKind kind, string key, CancellationToken cancellationToken) =>
        inner.FindAccountAsync(kind, Scoped(key), cancellationToken);

    public ValueTask BindAsync(BindingKind kind, string key, string accountId, CancellationToken cancellationToken) =>
        inner.BindAsync(kind, Scoped(key), accountId, cancellationToken);

    // '~' is allowed in table keys and in no caller id ("key_<hex>", "anonymous").
    private static string Scoped(string key) => $"{RequestCaller.Current}~{key}";
}
