using System.Security.Cryptography;
using QwenFunctions.State;

namespace QwenFunctions.Tests.State;

public sealed class TokenCipherTests
{
    private static readonly TokenCipher Cipher = new(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void Encrypt_AToken_RoundTripsAndNeverShowsThePlainText()
    {
        var first = Cipher.Encrypt("rt-plain-secret", "acc_1");
        var second = Cipher.Encrypt("rt-plain-secret", "acc_1");

        Assert.DoesNotContain("rt-plain-secret", first, StringComparison.Ordinal);
        Assert.NotEqual(first, second); // a fresh nonce each time
        Assert.True(Cipher.TryDecrypt(first, "acc_1", out var plain));
        Assert.Equal("rt-plain-secret", plain);
    }

    [Fact]
    public void TryDecrypt_AnotherAccountsRowOrAnotherKey_Fails()
    {
        var stored = Cipher.Encrypt("rt-plain-secret", "acc_1");

        Assert.False(Cipher.TryDecrypt(stored, "acc_2", out _));
        Assert.False(new TokenCipher(RandomNumberGenerator.GetBytes(32)).TryDecrypt(stored, "acc_1", out _));
        Assert.False(Cipher.TryDecrypt("not base64!", "acc_1", out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("c2hvcnQ=")] // 5 bytes
    [InlineData("@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/token-encryption-key/)")]
    public void From_NoUsableKey_IsNull(string? setting) => Assert.Null(TokenCipher.From(setting));
}
