using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace QwenFunctions.Anthropic;

/// <summary>
/// Signs answered thinking and verifies it when a client sends it back. Anthropic clients require a non-empty
/// signature on every thinking block and replay it verbatim, and some drop unsigned thinking; the signature is an
/// HMAC over the thinking text, so it holds no secret and cannot be forged without the key.
/// </summary>
public sealed class ThinkingSignature
{
    private const byte Version = 1;
    private readonly byte[] _key;

    public ThinkingSignature(IOptions<AnthropicOptions> options)
    {
        var configured = options.Value.ThinkingSignatureKey;
        _key = configured is { Length: > 0 }
            ? SHA256.HashData(Encoding.UTF8.GetBytes(configured))
            : RandomNumberGenerator.GetBytes(32);
    }

    public string Sign(string thinking)
    {
        var signature = new byte[1 + 32];
        signature[0] = Version;
        Mac(thinking, signature.AsSpan(1));
        return Convert.ToBase64String(signature);
    }

    /// <summary>True when <paramref name="signature"/> is this app's signature of exactly <paramref name="thinking"/>.</summary>
    public bool Verify(string thinking, string? signature)
    {
        Span<byte> presented = stackalloc byte[33];
        if (signature is null || !Convert.TryFromBase64String(signature, presented, out var length) || length != 33 || presented[0] != Version)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[32];
        Mac(thinking, expected);
        return CryptographicOperations.FixedTimeEquals(expected, presented[1..]);
    }

    private void Mac(string thinking, Span<byte> destination) =>
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(thinking), destination);
}
