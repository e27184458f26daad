namespace QwenFunctions.Configuration;

/// <summary>The AES-256 key of QWEN_TOKEN_ENCRYPTION_KEY: base64 of exactly 32 bytes.</summary>
public static class TokenKey
{
    public const int Bytes = 32;

    public static bool TryParse(string? value, out byte[] key)
    {
        key = [];
        if (Setting.Value(value) is not { } text)
        {
            return false;
        }

        var buffer = new byte[Bytes + 3];
        if (!Convert.TryFromBase64String(text, buffer, out var written) || written != Bytes)
        {
            return false;
        }

        key = buffer[..Bytes];
        return true;
    }

    /// <summary>
    /// App Service leaves a Key Vault reference it cannot resolve in the setting as is: such a value is no secret
    /// (and no token), but a sign that the secret is missing or unreadable.
    /// </summary>
    public static bool IsUnresolvedReference(string? value) =>
        value?.TrimStart().StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase) == true;
}
