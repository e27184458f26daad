namespace QwenFunctions.Accounts;

/// <summary>
/// The mutable side of an account, in this instance's memory only: the access token minted last, the gate that
/// lets one refresh run at a time, and the cookies the upstream set. Kept across settings reloads for as long as the
/// account id stays configured.
/// </summary>
public sealed class AccountSession
{
    /// <summary>Cookies the upstream set on this account; sent back on its later calls.</summary>
    public AccountCookieJar Cookies { get; } = new();

    private AccessGrant? _access;
    private int _generation;

    /// <summary>One refresh of this account at a time in this instance; others wait and use its result.</summary>
    public SemaphoreSlim RefreshGate { get; } = new(1, 1);

    /// <summary>The access token minted last; null until the first mint.</summary>
    public AccessGrant? Access => Volatile.Read(ref _access);

    /// <summary>
    /// The refresh token the auth host refused last. Sending it again cannot work, so a refresh with it fails without a
    /// call; a rotated token from another instance (or a new account id after a settings change) is tried normally.
    /// </summary>
    public string? RefusedRefreshToken { get; set; }

    /// <summary>The credential header values sent last (<see cref="CredentialHeaders.For"/>); rebuilt when the token or cookies change.</summary>
    internal CredentialHeaders? SentHeaders { get; set; }

    /// <summary>Counts mints: a request that saw generation n refused knows whether someone has minted since.</summary>
    public int Generation => Access?.Generation ?? 0;

    public AccessGrant Mint(string token, DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        var grant = new AccessGrant(token, expiresAt, now, Interlocked.Increment(ref _generation));
        Volatile.Write(ref _access, grant);
        return grant;
    }
}

/// <summary>An access token and what is known about its life. A class, not a record: a record would print the token.</summary>
public sealed class AccessGrant(string token, DateTimeOffset? expiresAt, DateTimeOffset obtainedAt, int generation)
{
    public string Token { get; } = token;

    /// <summary>The JWT's `exp`, when it has one.</summary>
    public DateTimeOffset? ExpiresAt { get; } = expiresAt;

    public DateTimeOffset ObtainedAt { get; } = obtainedAt;

    /// <summary>0 for a configured token, 1, 2, … for minted ones.</summary>
    public int Generation { get; } = generation;

    public override string ToString() => $"access token #{Generation}";
}

/// <summary>
/// The Authorization and Cookie values of an account's upstream calls. Every call sends both and they change only with
/// the token or the cookie jar, so they are built once per change (the token is in the session already).
/// A class, not a record: a record would print the token.
/// </summary>
internal sealed class CredentialHeaders(string token, string? cookies)
{
    public string Token { get; } = token;

    public string? Cookies { get; } = cookies;

    public string Authorization { get; } = "Bearer " + token;

    public string Cookie { get; } = cookies is null ? "token=" + token : $"token={token}; {cookies}";

    public static CredentialHeaders For(AccountSession session, string token, string? cookies)
    {
        var sent = session.SentHeaders;
        if (sent is null || !string.Equals(sent.Token, token, StringComparison.Ordinal) || !string.Equals(sent.Cookies, cookies, StringComparison.Ordinal))
        {
            sent = new CredentialHeaders(token, cookies);
            session.SentHeaders = sent; // racing calls build the same values; either copy is right
        }

        return sent;
    }

    public override string ToString() => "credential headers";
}
