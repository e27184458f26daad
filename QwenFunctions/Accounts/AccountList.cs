using QwenFunctions.Configuration;

namespace QwenFunctions.Accounts;

internal static class AccountList
{
    /// <summary>
    /// Qwen:Accounts, QWEN_TOKENS, QWEN_TOKEN and QWEN_REFRESH_TOKENS combined (as the seed combines the middle two),
    /// duplicates dropped. <paramref name="session"/> hands back the session an account id already has, so a settings
    /// reload keeps minted tokens and cookies.
    /// </summary>
    public static IReadOnlyList<QwenAccount> From(QwenOptions options, Func<string, AccountSession>? session = null)
    {
        var entries = new List<Entry>();
        entries.AddRange(options.Accounts
            .Where(a => Usable(a.Token) || Usable(a.RefreshToken))
            .Select(a => new Entry(Usable(a.Token) ? a.Token!.Trim() : null, Usable(a.RefreshToken) ? a.RefreshToken!.Trim() : null, a.Cookies, a.AllHeaders())));
        entries.AddRange(ProxyOptions.Split(options.Tokens).Where(Usable).Select(t => new Entry(t, null, null, null)));
        entries.AddRange(ProxyOptions.Split(options.Token).Where(Usable).Select(t => new Entry(t, null, null, null)));
        entries.AddRange(ProxyOptions.Split(options.RefreshTokens).Where(Usable).Select(t => new Entry(null, t, null, null)));
        return entries
            .DistinctBy(e => e.RefreshToken ?? e.Token, StringComparer.Ordinal)
            .Select((e, i) =>
            {
                var id = QwenAccount.Fingerprint(e.RefreshToken ?? e.Token!);
                return new QwenAccount(e.Token, e.RefreshToken, e.Cookies, e.Headers, i, session?.Invoke(id));
            })
            .ToArray();
    }

    /// <summary>Whether any account of these settings has a refresh token.</summary>
    public static bool HasRefreshAccounts(QwenOptions options) => From(options).Any(a => a.Kind == CredentialKind.Refresh);

    // An unresolved Key Vault reference is what App Service leaves when the secret is missing: not a credential.
    private static bool Usable(string? value) => !string.IsNullOrWhiteSpace(value) && !TokenKey.IsUnresolvedReference(value);

    private sealed record Entry(string? Token, string? RefreshToken, string? Cookies, IReadOnlyDictionary<string, string>? Headers);
}
