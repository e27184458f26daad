using System.Security.Cryptography;
using System.Text;

namespace QwenFunctions.Accounts;

/// <summary>One chat.qwen.ai session. <see cref="Id"/> is a fingerprint: safe to log, store and show.</summary>
public sealed class QwenAccount
{
    public QwenAccount(string token, string? cookies, int index)
    {
        Token = token;
        Cookies = string.IsNullOrWhiteSpace(cookies) ? null : cookies.Trim();
        Index = index;
        Id = Fingerprint(token);
        TokenExpiresAt = JwtExpiry.TryRead(token);
    }

    public string Id { get; }

    public int Index { get; }

    /// <summary>The secret. Only the upstream request factory reads it.</summary>
    public string Token { get; }

    public string? Cookies { get; }

    /// <summary>The JWT's own `exp`, decoded without verification: informative, not authoritative.</summary>
    public DateTimeOffset? TokenExpiresAt { get; }

    public static string Fingerprint(string token) =>
        "acc_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..12];

    // Keeps the token out of any accidental string formatting.
    public override string ToString() => Id;
}
