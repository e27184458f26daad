using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QwenFunctions.Accounts;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Configuration;

/// <summary>Bad settings stop the app at start with a message naming the setting; a missing token does not.</summary>
public sealed class SettingsValidationTests
{
    [Theory]
    [InlineData("QWEN_BASE_URL", "not a url", "QWEN_BASE_URL")]
    [InlineData("QWEN_BASE_URL", "ftp://chat.qwen.ai", "QWEN_BASE_URL")]
    [InlineData("Qwen:BaseUrl", "chat.qwen.ai", "QWEN_BASE_URL")]
    [InlineData("Qwen:Timeouts:Request", "-00:00:05", "Qwen:Timeouts:Request")]
    [InlineData("Qwen:Timeouts:FirstByte", "00:00:00", "Qwen:Timeouts:FirstByte")]
    [InlineData("Qwen:Cooldowns:MaxAttempts", "0", "MaxAttempts")]
    [InlineData("Qwen:OssEndpoint", "not a url", "Qwen:OssEndpoint")]
    [InlineData("QWEN_AUTH_BASE_URL", "auth.qwen.ai", "QWEN_AUTH_BASE_URL")]
    [InlineData("Qwen:RefreshMargin", "-00:01:00", "Qwen:RefreshMargin")]
    [InlineData("QWEN_TOKEN_ENCRYPTION_KEY", "too-short", "QWEN_TOKEN_ENCRYPTION_KEY")]
    [InlineData("Qwen:Accounts:0:Cookies", "a=1", "Qwen:Accounts:0")]
    [InlineData("Proxy:MaxJsonBodyBytes", "10", "MaxJsonBodyBytes")]
    [InlineData("API_KEYS", " ", "API_KEYS")]
    [InlineData("API_KEYS", ",", "API_KEYS")]
    [InlineData("API_KEYS", " , ,", "API_KEYS")]
    public void StartupValidation_InvalidSetting_FailsNamingTheSetting(string key, string value, string named)
    {
        using var services = Build(new() { [key] = value, ["QWEN_TOKENS"] = "token-a" });

        var error = Record.Exception(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(ValidationFailures(error), m => m.Contains(named, StringComparison.Ordinal));
    }

    [Fact]
    public void StartupValidation_RefreshTokensWithSharedStateButNoEncryptionKey_FailsNamingTheKey()
    {
        using var services = Build(new() { ["QWEN_REFRESH_TOKENS"] = "rt-a", ["State:ConnectionString"] = "UseDevelopmentStorage=true" });

        var error = Record.Exception(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(ValidationFailures(error), m => m.Contains("QWEN_TOKEN_ENCRYPTION_KEY", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("QWEN_TOKENS", "token-a", "State:ConnectionString", "UseDevelopmentStorage=true")] // no refresh token: no key needed
    [InlineData("QWEN_REFRESH_TOKENS", "rt-a", "State:Enabled", "false")] // memory only: nothing stored at rest
    public void StartupValidation_EncryptionKeyAnUnresolvedReferenceButNotNeeded_Starts(string tokens, string value, string stateKey, string stateValue)
    {
        using var services = Build(new()
        {
            [tokens] = value,
            [stateKey] = stateValue,
            ["QWEN_TOKEN_ENCRYPTION_KEY"] = "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/token-encryption-key/)",
        });

        services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public async Task HostStart_InvalidBaseUrl_Fails()
    {
        var error = await Record.ExceptionAsync(() =>
            FunctionsTestServer.StartAsync(new Dictionary<string, string?> { ["QWEN_BASE_URL"] = "not a url" }));

        Assert.Contains(ValidationFailures(error), m => m.Contains("QWEN_BASE_URL", StringComparison.Ordinal));
    }

    [Fact]
    public void StartupValidation_NoTokenConfigured_PassesAndThePoolIsEmpty()
    {
        using var services = Build([]);

        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.Empty(services.GetRequiredService<AccountPool>().Accounts);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void StartupValidation_ApiKeysUnsetOrEmpty_StartsWithAnOpenApi(string? value)
    {
        using var services = Build(new() { ["API_KEYS"] = value });

        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.Empty(services.GetRequiredService<IOptions<QwenFunctions.Configuration.ProxyOptions>>().Value.ParseApiKeys());
    }

    /// <summary>Options that depend on a failing one fail too, so several failures arrive as an AggregateException.</summary>
    private static IEnumerable<string> ValidationFailures(Exception? error) => error switch
    {
        OptionsValidationException validation => validation.Failures,
        AggregateException aggregate => aggregate.InnerExceptions.SelectMany(ValidationFailures),
        null => throw new Xunit.Sdk.XunitException("Expected the settings to fail validation, but nothing was thrown."),
        _ => throw new Xunit.Sdk.XunitException($"Expected an options validation failure, got {error}"),
    };

    private static ServiceProvider Build(Dictionary<string, string?> settings) => TestServices.Build(settings);
}
