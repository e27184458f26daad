using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using QwenFunctions.Docs;

namespace QwenFunctions.Tests.Docs;

/// <summary>The OpenAPI document is public (no key by default): its examples must never carry a configured secret.</summary>
public sealed class OpenApiSecretTests
{
    [Fact]
    public async Task Document_OfAnAppWithEverySecretConfigured_ContainsNoneOfThemAndNoTokenShapedExample()
    {
        var accessToken = "eyJhbGciOiJIUzI1NiJ9." + Guid.NewGuid().ToString("N") + ".sig";
        var secrets = new Dictionary<string, string?>
        {
            ["QWEN_TOKENS"] = accessToken,
            ["QWEN_REFRESH_TOKENS"] = "rt-" + Guid.NewGuid().ToString("N"),
            ["Qwen:Accounts:0:RefreshToken"] = "rt-" + Guid.NewGuid().ToString("N"),
            ["Qwen:Accounts:0:Cookies"] = "ssxmod_itna=" + Guid.NewGuid().ToString("N"),
            ["QWEN_TOKEN_ENCRYPTION_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["API_KEYS"] = "sk-" + Guid.NewGuid().ToString("N"),
            ["Anthropic:ThinkingSignatureKey"] = Guid.NewGuid().ToString("N"),
            ["State:Enabled"] = "false",
        };
        using var services = OpenApiTestDocuments.AppServices(secrets);

        var json = await services.GetRequiredService<OpenApiDocumentProvider>().GetJsonAsync(OpenApiTestDocuments.Request());

        Assert.Contains("/v1/chat/completions", json, StringComparison.Ordinal); // the document was built
        Assert.All(secrets.Values.Where(v => v is { Length: > 8 }), secret => Assert.DoesNotContain(secret!, json, StringComparison.Ordinal));
        Assert.DoesNotContain("eyJ", json, StringComparison.Ordinal); // no JWT-shaped example either
        Assert.DoesNotContain("refresh_token=", json, StringComparison.Ordinal);
    }
}
