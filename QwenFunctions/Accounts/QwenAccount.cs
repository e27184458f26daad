using System.Security.Cryptography;
using System.Text;

namespace QwenFunctions.Accounts;

/// <summary>How an account proves who it is.</summary>
public enum CredentialKind
{
    /// <summary>A pasted access token: it works until it expires (15-20 minutes on today's chat.qwen.ai).</summary>
    Access,

    /// <summary>A refresh token (maybe with an access token): the app mints and refreshes access tokens itself.</summary>
    Refresh,
}

/// <summary>
/// One chat.qwen.ai identity. <see cref="Id"/> is a fingerprint of the configured credential (the refresh token when
/// there is one): safe to log, store and show, and stable while the credential rotates.
/// </summary>
public sealed class QwenAccount
{
    public QwenAccount(string token, string? cookies, int index)
        : this(token, null, cookies, null, index, null)
    {
    }

    internal QwenAccount(string? token, string? refreshToken, string? cookies, IReadOnlyDictionary<string, string>? headers, int index, AccountSession? session)
    {
        if (string.IsNullOrWhiteSpace(token) && string.IsNullOrWhiteSpace(refreshToken))
        {
            throw new ArgumentException("An account needs an access token or a refresh token.", nameof(token));
        }

        ConfiguredToken = string.IsNullOrWhiteSpace(token) ? null : token.Trim();
        ConfiguredRefreshToken = string.IsNullOrWhiteSpace(refreshToken) ? null : refreshToken.Trim();
        Kind = ConfiguredRefreshToken is null ? CredentialKind.Access : CredentialKind.Refresh;
        Cookies = string.IsNullOrWhiteSpace(cookies) ? null : cookies.Trim();
        Headers = headers ?? new Dictionary<string, string>();
        Index = index;
        Id = Fingerprint(ConfiguredRefreshToken ?? ConfiguredToken!);
        Session = session ?? new AccountSession();
        ConfiguredTokenExpiresAt = ConfiguredToken is null ? null : JwtExpiry.TryRead(ConfiguredToken);
    }

    public string Id { get; }

    public int Index { get; }

    public CredentialKind Kind { get; }

    /// <summary>The access token of the settings, if any. A secret: only the upstream request factory reads it.</summary>
    public string? ConfiguredToken { get; }

    /// <summary>The refresh token of the settings, if any: what <see cref="Id"/> fingerprints. A rotated one may have replaced it upstream.</summary>
    public string? ConfiguredRefreshToken { get; }

    /// <summary>The access token to send now: the last one minted, else the configured one. Null before a refresh account's first mint.</summary>
    public string? Token => Session.Access?.Token ?? ConfiguredToken;

    public string? Cookies { get; }

    /// <summary>Static per-account headers from the settings (bx-ua and friends), for the request signer.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>What changes while the app runs: minted access tokens, the cookie jar. Survives a settings reload.</summary>
    public AccountSession Session { get; }

    /// <summary>The current access token's own `exp`, decoded without verification: informative, not authoritative.</summary>
    public DateTimeOffset? TokenExpiresAt => Session.Access is { } minted ? minted.ExpiresAt : ConfiguredTokenExpiresAt;

    internal DateTimeOffset? ConfiguredTokenExpiresAt { get; }

    public static string Fingerprint(string token) =>
        "acc_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..12];

    // Keeps the token out of any accidental string formatting.
    public override string ToString() => Id;
}
