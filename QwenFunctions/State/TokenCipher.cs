using System.Security.Cryptography;
using System.Text;
using QwenFunctions.Configuration;

namespace QwenFunctions.State;

/// <summary>
/// AES-256-GCM for refresh tokens at rest (QWEN_TOKEN_ENCRYPTION_KEY). The account id is the associated data, so a
/// ciphertext copied to another account's row does not decrypt. Stored as base64(nonce | ciphertext | tag).
/// </summary>
public sealed class TokenCipher
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private readonly byte[] _key;

    public TokenCipher(byte[] key)
    {
        if (key.Length != TokenKey.Bytes)
        {
            throw new ArgumentException($"The key must be {TokenKey.Bytes} bytes.", nameof(key));
        }

        _key = key;
        KeyId = Convert.ToHexStringLower(SHA256.HashData(key))[..8];
    }

    /// <summary>Names the key without revealing it: a row written under another key says so instead of failing to decrypt.</summary>
    public string KeyId { get; }

    /// <summary>The cipher of a valid setting, else null (nothing can be stored encrypted).</summary>
    public static TokenCipher? From(string? setting) => TokenKey.TryParse(setting, out var key) ? new TokenCipher(key) : null;

    public string Encrypt(string plaintext, string accountId)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = output.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceBytes, plain.Length), output.AsSpan(NonceBytes + plain.Length), Aad(accountId));
        return Convert.ToBase64String(output);
    }

    public bool TryDecrypt(string stored, string accountId, out string plaintext)
    {
        plaintext = "";
        byte[] input;
        try
        {
            input = Convert.FromBase64String(stored);
        }
        catch (FormatException)
        {
            return false;
        }

        if (input.Length < NonceBytes + TagBytes)
        {
            return false;
        }

        var length = input.Length - NonceBytes - TagBytes;
        var plain = new byte[length];
        try
        {
            using var aes = new AesGcm(_key, TagBytes);
            aes.Decrypt(input.AsSpan(0, NonceBytes), input.AsSpan(NonceBytes, length), input.AsSpan(NonceBytes + length), plain, Aad(accountId));
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }

        plaintext = Encoding.UTF8.GetString(plain);
        return true;
    }

    private static byte[] Aad(string accountId) => Encoding.UTF8.GetBytes("qwen-refresh-token:" + accountId);
}
