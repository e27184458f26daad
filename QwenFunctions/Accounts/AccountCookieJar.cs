namespace QwenFunctions.Accounts;

/// <summary>
/// The cookies the upstream set on one account (chat API and auth host), sent back on that account's later calls, on
/// top of the cookies configured for it. A later <c>Set-Cookie</c> replaces a value; a deleting one (empty value,
/// <c>Max-Age&lt;=0</c>, an <c>Expires</c> in the past) removes the cookie, a configured one too. One jar per account
/// session: never shared across accounts. Values are session secrets and stay in memory.
/// </summary>
public sealed class AccountCookieJar
{
    // The app sends these itself: the access token as `token`, the refresh token only to the auth host (and stores a
    // rotated one encrypted), so neither may come from the jar.
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase) { "token", "refresh_token" };

    // A bound on what an upstream can make us keep and send.
    private const int MaxCookies = 64;
    private const int MaxValueLength = 4096;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, string?> _cookies = new(StringComparer.Ordinal); // null: deleted

    /// <summary>Cookies the jar holds now (deletions not counted).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _cookies.Values.Count(v => v is not null);
            }
        }
    }

    public void Absorb(IEnumerable<string> setCookieHeaders, DateTimeOffset now)
    {
        lock (_gate)
        {
            foreach (var header in setCookieHeaders)
            {
                if (!SetCookie.TryParse(header, out var cookie, now) || Reserved.Contains(cookie.Name) || cookie.Value.Length > MaxValueLength)
                {
                    continue;
                }

                if (cookie.Deletes || _cookies.ContainsKey(cookie.Name) || _cookies.Count < MaxCookies)
                {
                    _cookies[cookie.Name] = cookie.Deletes ? null : cookie.Value;
                }
            }
        }
    }

    /// <summary>The Cookie header fragment to send after <c>token=…</c>: <paramref name="configured"/> with the jar applied; null when empty.</summary>
    public string? HeaderFor(string? configured)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (var part in (configured ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = part.IndexOf('=');
            pairs.Add(separator > 0 ? new(part[..separator].Trim(), part[(separator + 1)..].Trim()) : new(part, null));
        }

        lock (_gate)
        {
            if (_cookies.Count == 0)
            {
                return string.IsNullOrWhiteSpace(configured) ? null : configured.Trim();
            }

            for (var i = pairs.Count - 1; i >= 0; i--)
            {
                if (_cookies.ContainsKey(pairs[i].Key))
                {
                    // The upstream has spoken about this configured cookie: its word wins (or the cookie is gone).
                    pairs.RemoveAt(i);
                }
            }

            pairs.AddRange(_cookies.Where(c => c.Value is not null));
        }

        return pairs.Count == 0 ? null : string.Join("; ", pairs.Select(p => p.Value is null ? p.Key : $"{p.Key}={p.Value}"));
    }

    public override string ToString() => $"{Count} cookies";
}
