using QwenFunctions.Configuration;

namespace QwenFunctions.Accounts;

internal static class AccountList
{
    /// <summary>QWEN_TOKENS, QWEN_TOKEN and Qwen:Accounts combined (as the seed combines the first two), duplicates dropped.</summary>
    public static IReadOnlyList<QwenAccount> From(QwenOptions options)
    {
        var entries = new List<(string Token, string? Cookies)>();
        entries.AddRange(options.Accounts.Where(a => !string.IsNullOrWhiteSpace(a.Token)).Select(a => (a.Token.Trim(), a.Cookies)));
        entries.AddRange(ProxyOptions.Split(options.Tokens).Select(t => (t, (string?)null)));
        entries.AddRange(ProxyOptions.Split(options.Token).Select(t => (t, (string?)null)));
        return entries
            .DistinctBy(e => e.Token, StringComparer.Ordinal)
            .Select((e, i) => new QwenAccount(e.Token, e.Cookies, i))
            .ToArray();
    }
}
