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

    // Every upstream call of the account asks for the header; it only changes when a Set-Cookie changes a value.
    private (string? Configured, string? Header)? _header;

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

                var value = cookie.Deletes ? null : cookie.Value;
                var known = _cookies.TryGetValue(cookie.Name, out var current);
                if ((known || cookie.Deletes || _cookies.Count < MaxCookies) && !(known && current == value))
                {
                    _cookies[cookie.Name] = value;
                    _header = null;
                }
            }
        }
    }

    /// <summary>The Cookie header fragment to send after <c>token=…</c>: <paramref name="configured"/> with the jar applied; null when empty.</summary>
    public string? HeaderFor(string? configured)
    {
        lock (_gate)
        {
            if (_header is { } cached && ReferenceEquals(cached.Configured, configured))
            {
                return cached.Header;
            }

            var header = Build(configured);
            _header = (configured, header);
            return header;
        }
    }

    private string? Build(string? configured)
    {
        if (_cookies.Count == 0)
        {
            return string.IsNullOrWhiteSpace(configured) ? null : configured.Trim();
        }

        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (var part in (configured ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = part.IndexOf('=');
            pairs.Add(separator > 0 ? new(part[..separator].Trim(), part[(separator + 1)..].Trim()) : new(part, null));
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
        return pairs.Count == 0 ? null : string.Join("; ", pairs.Select(p => p.Value is null ? p.Key : $"{p.Key}={p.Value}"));
    }

    public override string ToString() => $"{Count} cookies";
}
