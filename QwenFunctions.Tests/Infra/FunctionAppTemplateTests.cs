using System.Text.Json;
using System.Text.RegularExpressions;

namespace QwenFunctions.Tests.Infra;

[Collection(InfraCollection.Name)]
public sealed class FunctionAppTemplateTests(InfraTemplate infra)
{
    // Keys of local.settings.sample.json that only make sense on a developer machine, or that Flex Consumption
    // sets another way. QWEN_TOKEN is optional in Azure (QWEN_TOKENS carries the pool).
    private static readonly HashSet<string> LocalOnlySettings = new(StringComparer.OrdinalIgnoreCase)
    {
        "AzureWebJobsStorage",
        "FUNCTIONS_WORKER_RUNTIME",
        "FUNCTIONS_EXTENSION_VERSION",
        "FUNCTIONS_INPROC_NET8_ENABLED",
        "AzureWebJobsSecretStorageType",
        "QWEN_TOKEN",
    };

    // Settings the app reads even before local.settings.sample.json lists them.
    private static readonly string[] RequiredSettings = ["QWEN_TOKENS", "API_KEYS", "QWEN_BASE_URL", "DEFAULT_MODEL"];

    [Fact]
    public void HostingPlan_Sku_IsFlexConsumption()
    {
        var plan = infra.SingleResource("Microsoft.Web/serverfarms");

        Assert.Equal("FC1", InfraTemplate.Text(plan["sku"]?["name"]));
        Assert.Equal("FlexConsumption", InfraTemplate.Text(plan["sku"]?["tier"]));
        Assert.Equal("true", InfraTemplate.Text(plan["properties"]?["reserved"]));
    }

    [Fact]
    public void FunctionApp_Runtime_IsDotnetIsolated10()
    {
        var site = infra.SingleResource("Microsoft.Web/sites");
        var runtime = site["properties"]?["functionAppConfig"]?["runtime"];

        Assert.Equal("functionapp,linux", InfraTemplate.Text(site["kind"]));
        Assert.Equal("dotnet-isolated", InfraTemplate.Text(runtime?["name"]));
        Assert.Equal("10.0", InfraTemplate.Text(runtime?["version"]));
    }

    [Fact]
    public void FunctionApp_Transport_IsHttpsOnlyWithTls12AndNoFtpOrBasicAuthPublishing()
    {
        var site = infra.SingleResource("Microsoft.Web/sites");
        var siteConfig = site["properties"]?["siteConfig"];

        Assert.Equal("true", InfraTemplate.Text(site["properties"]?["httpsOnly"]));
        Assert.Equal("1.2", InfraTemplate.Text(siteConfig?["minTlsVersion"]));
        Assert.Equal("1.2", InfraTemplate.Text(siteConfig?["scmMinTlsVersion"]));
        Assert.Equal("Disabled", InfraTemplate.Text(siteConfig?["ftpsState"]));

        var policies = infra.ResourcesOfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies");
        foreach (var kind in new[] { "ftp", "scm" })
        {
            var policy = Assert.Single(policies, p => InfraTemplate.Text(p["name"]).Contains($"'{kind}'", StringComparison.Ordinal));
            Assert.Equal("false", InfraTemplate.Text(policy["properties"]?["allow"]));
        }
    }

    [Fact]
    public void FunctionApp_CorsOrigins_ComeFromAParameter()
    {
        var site = infra.SingleResource("Microsoft.Web/sites");
        var origins = InfraTemplate.Text(site["properties"]?["siteConfig"]?["cors"]?["allowedOrigins"]);

        Assert.StartsWith("[parameters(", origins, StringComparison.Ordinal);
        var main = infra.RequireMain();
        Assert.Equal("string", InfraTemplate.Text(main["parameters"]?["corsAllowedOrigins"]?["type"]));
        Assert.Equal("", InfraTemplate.Text(main["parameters"]?["corsAllowedOrigins"]?["defaultValue"]));
    }

    [Fact]
    public void FunctionApp_AzdServiceTag_MatchesTheServiceInAzureYaml()
    {
        var apiDeployment = infra.ModuleDeployment("api");
        var apiTemplate = infra.Module("api");

        // The tag is tags + { 'azd-service-name': serviceName } and serviceName defaults to 'api'.
        var site = infra.SingleResource("Microsoft.Web/sites");
        Assert.Contains("'azd-service-name', parameters('serviceName')", InfraTemplate.Text(site["tags"]), StringComparison.Ordinal);
        Assert.Null(apiDeployment["properties"]?["parameters"]?["serviceName"]);
        Assert.Equal("api", InfraTemplate.Text(apiTemplate["parameters"]?["serviceName"]?["defaultValue"]));
    }

    [Fact]
    public void AppSettings_OnFlexConsumption_OmitSettingsThePlanRejects()
    {
        var settings = infra.AppSettings();

        // Flex Consumption takes the runtime from functionAppConfig and deploys from its blob container.
        string[] rejected =
        [
            "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE",
            "WEBSITE_CONTENTSHARE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_NODE_DEFAULT_VERSION",
            "AzureWebJobsStorage",
        ];
        var present = rejected.Where(settings.ContainsKey).ToList();
        Assert.True(present.Count == 0, "Flex Consumption rejects these app settings: " + string.Join(", ", present));
    }

    [Fact]
    public void AppSettings_EverySettingTheAppReads_IsSetInAzure()
    {
        var settings = infra.AppSettings();
        var expected = new SortedSet<string>(RequiredSettings, StringComparer.Ordinal);
        expected.UnionWith(SampleSettingKeys());

        var missing = expected.Where(key => !settings.ContainsKey(key)).ToList();

        Assert.True(
            missing.Count == 0,
            "Set these in the appsettings block of infra/app/api.bicep (secrets as Key Vault references): " + string.Join(", ", missing));
    }

    [Fact]
    public void AppSettings_PlainValues_MatchTheDefaultsInTheSample()
    {
        var settings = infra.AppSettings();
        var drifted = new List<string>();

        foreach (var (key, sampleValue) in SampleSettings())
        {
            if (settings.TryGetValue(key, out var expression) && ResolveDefault(expression) is { } deployed && deployed != sampleValue)
            {
                drifted.Add($"{key}: Azure '{deployed}', sample '{sampleValue}'");
            }
        }

        Assert.True(drifted.Count == 0, "Defaults differ between infra and local.settings.sample.json:\n" + string.Join('\n', drifted));
    }

    /// <summary>
    /// The value Azure gets by default: a literal as is, or a parameter followed up through the api module
    /// to main.bicep's default. Null for anything computed at deploy time (Key Vault references, endpoints).
    /// </summary>
    private string? ResolveDefault(string expression)
    {
        var apiParameter = ParameterReference(expression);
        if (apiParameter is null)
        {
            return expression.StartsWith('[') ? null : expression;
        }

        var passed = InfraTemplate.Text(infra.ModuleDeployment("api")["properties"]?["parameters"]?[apiParameter]?["value"]);
        var mainParameter = ParameterReference(passed);
        if (mainParameter is null)
        {
            return passed.StartsWith('[') ? null : passed;
        }

        var declared = infra.RequireMain()["parameters"]?[mainParameter];
        return declared?["defaultValue"] is { } value ? InfraTemplate.Text(value) : null;
    }

    private static string? ParameterReference(string expression) =>
        Regex.Match(expression, @"^\[parameters\('(?<name>\w+)'\)\]$") is { Success: true } match ? match.Groups["name"].Value : null;

    private static IEnumerable<string> SampleSettingKeys() => SampleSettings().Select(p => p.Key);

    private static IReadOnlyList<KeyValuePair<string, string>> SampleSettings()
    {
        // The sample is the list of settings the app reads; Azure must get all of them.
        var sample = Path.Combine(InfraTemplate.RepositoryRoot, "local.settings.sample.json");
        Assert.True(File.Exists(sample), "local.settings.sample.json is missing at the repository root.");

        using var document = InfraTemplate.ReadJsonFile(sample);
        if (!document.RootElement.TryGetProperty("Values", out var values) || values.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        return values.EnumerateObject()
            // Host-level settings (AzureFunctionsJobHost__*) configure the local host, not the app.
            .Where(p => !LocalOnlySettings.Contains(p.Name) && !p.Name.StartsWith("AzureFunctionsJobHost__", StringComparison.OrdinalIgnoreCase))
            .Select(p => KeyValuePair.Create(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText()))
            .ToList();
    }
}
