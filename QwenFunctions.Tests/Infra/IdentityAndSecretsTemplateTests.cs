using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace QwenFunctions.Tests.Infra;

[Collection(InfraCollection.Name)]
public sealed class IdentityAndSecretsTemplateTests(InfraTemplate infra)
{
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";

    private static readonly string[] SecretParameters = ["qwenTokens", "qwenRefreshTokens", "tokenEncryptionKey", "apiKeys", "anthropicThinkingSignatureKey"];
    private static readonly string[] SecretSettings = ["QWEN_TOKENS", "QWEN_REFRESH_TOKENS", "QWEN_TOKEN_ENCRYPTION_KEY", "API_KEYS", "Anthropic__ThinkingSignatureKey"];

    [Fact]
    public void HostStorage_IsReachedThroughTheUserAssignedIdentity()
    {
        var settings = infra.AppSettings();

        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Matches(@"Microsoft\.ManagedIdentity/userAssignedIdentities.*\.clientId\]$", settings["AzureWebJobsStorage__clientId"]);
        Assert.Contains("primaryEndpoints.blob", settings["AzureWebJobsStorage__blobServiceUri"], StringComparison.Ordinal);
        Assert.Contains("primaryEndpoints.queue", settings["AzureWebJobsStorage__queueServiceUri"], StringComparison.Ordinal);
        Assert.Contains("primaryEndpoints.table", settings["AzureWebJobsStorage__tableServiceUri"], StringComparison.Ordinal);

        var site = infra.SingleResource("Microsoft.Web/sites");
        Assert.Equal("UserAssigned", InfraTemplate.Text(site["identity"]?["type"]));
        var deploymentAuth = site["properties"]?["functionAppConfig"]?["deployment"]?["storage"]?["authentication"];
        Assert.Equal("UserAssignedIdentity", InfraTemplate.Text(deploymentAuth?["type"]));
    }

    [Fact]
    public void StorageAccount_Keys_AreDisabledAndNeverRead()
    {
        var account = infra.SingleResource("Microsoft.Storage/storageAccounts");

        Assert.Equal("false", InfraTemplate.Text(account["properties"]?["allowSharedKeyAccess"]));
        Assert.Equal("TLS1_2", InfraTemplate.Text(account["properties"]?["minimumTlsVersion"]));
        Assert.DoesNotContain(infra.AppSettings().Values, value => value.Contains("AccountKey", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("listKeys(", infra.RequireMain().ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void AppIdentity_HasTheStorageRolesDurableFunctionsNeeds()
    {
        var storageRoles = AppRoleAssignments()
            .Where(a => a.Scope.Contains("Microsoft.Storage/storageAccounts", StringComparison.Ordinal))
            .SelectMany(a => a.RoleIds)
            .ToList();

        Assert.Contains(StorageBlobDataOwner, storageRoles);
        Assert.Contains(StorageQueueDataContributor, storageRoles);
        Assert.Contains(StorageTableDataContributor, storageRoles);
    }

    [Fact]
    public void Secrets_AreKeyVaultReferencesResolvedByTheAppIdentity()
    {
        var settings = infra.AppSettings();
        foreach (var setting in SecretSettings)
        {
            Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri={0})'", settings[setting], StringComparison.Ordinal);
        }

        var site = infra.SingleResource("Microsoft.Web/sites");
        Assert.Equal("[variables('identityId')]", InfraTemplate.Text(site["properties"]?["keyVaultReferenceIdentity"]));

        var secretsUser = Assert.Single(AppRoleAssignments(), a => a.RoleIds.Contains(KeyVaultSecretsUser));
        Assert.Contains("Microsoft.KeyVault/vaults", secretsUser.Scope, StringComparison.Ordinal);

        var vault = infra.SingleResource("Microsoft.KeyVault/vaults");
        Assert.Equal("true", InfraTemplate.Text(vault["properties"]?["enableRbacAuthorization"]));
        Assert.Equal(SecretSettings.Length, infra.ResourcesOfType("Microsoft.KeyVault/vaults/secrets").Count);
    }

    [Fact]
    public void SecretParameters_AreSecureStringsWithoutDefaults_AllTheWayDown()
    {
        var main = infra.RequireMain();
        foreach (var name in SecretParameters)
        {
            var parameter = main["parameters"]![name]!;
            Assert.Equal("securestring", InfraTemplate.Text(parameter["type"]));
            Assert.Null(parameter["defaultValue"]);
        }

        // Wherever a module receives a secret, it must receive it as a securestring too (or it shows in deployment history).
        foreach (var deployment in infra.AllResources().Where(r => InfraTemplate.TypeOf(r) == "Microsoft.Resources/deployments"))
        {
            var passed = deployment["properties"]?["parameters"]?.AsObject() ?? [];
            var declared = deployment["properties"]?["template"]?["parameters"]?.AsObject() ?? [];
            foreach (var (name, value) in passed)
            {
                if (SecretParameters.Any(secret => InfraTemplate.Text(value).Contains($"parameters('{secret}')", StringComparison.Ordinal)))
                {
                    Assert.Equal("securestring", InfraTemplate.Text(declared[name]?["type"]));
                }
            }
        }
    }

    [Theory]
    [InlineData("anthropicThinkingSignatureKey")]
    [InlineData("tokenEncryptionKey")]
    public void GeneratedKeys_AreMadeOnceByAzd_NeverAPromptOrADefault(string name)
    {
        // A default (newGuid()) would change the key on every provision; azd's generate type makes it once per
        // environment, keeps it in the environment's config and passes the same value on every later provision.
        // For the encryption key that is what keeps rotated refresh tokens readable after a redeploy.
        var parameter = infra.RequireMain()["parameters"]![name]!;
        var azd = parameter["metadata"]?["azd"];

        Assert.Equal("generate", InfraTemplate.Text(azd?["type"]));
        Assert.True(int.Parse(InfraTemplate.Text(azd?["config"]?["length"]), System.Globalization.CultureInfo.InvariantCulture) >= 32);
        Assert.Null(parameter["defaultValue"]);
    }

    [Fact]
    public void TokenEncryptionKey_ReachesKeyVaultAsTheBase64OfThirtyTwoBytes()
    {
        // azd generates 32 letters and digits; the app reads base64 of exactly 32 bytes (TokenKey), so the vault holds
        // the base64 of those characters, and a key the user already has in base64 passes unchanged.
        var vault = infra.Module("keyvault");
        var expression = InfraTemplate.Text(vault["variables"]?["tokenEncryptionKeyBase64"]);
        Assert.Contains("equals(length(parameters('tokenEncryptionKey')), 32)", expression, StringComparison.Ordinal);
        Assert.Contains("base64(parameters('tokenEncryptionKey'))", expression, StringComparison.Ordinal);

        var generated = new string('a', 16) + new string('7', 16);
        Assert.True(QwenFunctions.Configuration.TokenKey.TryParse(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(generated)), out _));

        var secret = Assert.Single(infra.ResourcesOfType("Microsoft.KeyVault/vaults/secrets"), s => InfraTemplate.Text(s["name"]).Contains("tokenEncryptionKeySecretName", StringComparison.Ordinal));
        Assert.Equal("[variables('tokenEncryptionKeyBase64')]", InfraTemplate.Text(secret["properties"]?["value"]));
    }

    [Fact]
    public void Outputs_InEveryTemplate_ContainNoSecret()
    {
        var listFunction = new Regex(@"\blist[A-Za-z]*\(", RegexOptions.IgnoreCase);
        foreach (var template in infra.AllTemplates())
        {
            var secure = (template["parameters"]?.AsObject() ?? [])
                .Where(p => InfraTemplate.Text(p.Value?["type"]).StartsWith("secure", StringComparison.OrdinalIgnoreCase))
                .Select(p => p.Key)
                .ToList();
            foreach (var (name, output) in template["outputs"]?.AsObject() ?? [])
            {
                var type = InfraTemplate.Text(output?["type"]);
                var value = InfraTemplate.Text(output?["value"]);
                Assert.False(type.StartsWith("secure", StringComparison.OrdinalIgnoreCase), $"Output {name} is {type}.");
                Assert.False(listFunction.IsMatch(value), $"Output {name} reads keys: {value}");
                Assert.DoesNotContain(secure, parameter => value.Contains($"parameters('{parameter}')", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void Outputs_OfMain_FollowAzdConventions()
    {
        var outputs = infra.RequireMain()["outputs"]!.AsObject();

        foreach (var name in new[] { "AZURE_LOCATION", "AZURE_TENANT_ID", "SERVICE_API_NAME" })
        {
            Assert.True(outputs.ContainsKey(name), $"Missing output {name}.");
        }
    }

    /// <summary>
    /// Role assignments in the rbac module made to the identity the function app runs as, with their role ids
    /// resolved from the module's variables (literal ids, a role table, or the list a copy loop walks).
    /// </summary>
    private List<(string Scope, IReadOnlyList<string> RoleIds)> AppRoleAssignments()
    {
        // Both modules get the identity by name; the same name means the same identity.
        var identityForRbac = InfraTemplate.Text(infra.ModuleDeployment("rbac")["properties"]?["parameters"]?["identityName"]);
        var identityForApp = InfraTemplate.Text(infra.ModuleDeployment("api")["properties"]?["parameters"]?["identityName"]);
        Assert.Equal(identityForApp, identityForRbac);

        var rbac = infra.Module("rbac");
        var variables = rbac["variables"]?.AsObject() ?? [];
        return InfraTemplate.ResourcesOf(rbac)
            .Where(r => InfraTemplate.TypeOf(r) == "Microsoft.Authorization/roleAssignments")
            .Where(r => InfraTemplate.Text(r["properties"]?["principalId"]).Contains("Microsoft.ManagedIdentity/userAssignedIdentities', parameters('identityName')", StringComparison.Ordinal))
            .Select(r => (InfraTemplate.Text(r["scope"]), ResolveRoleIds(InfraTemplate.Text(r["properties"]?["roleDefinitionId"]), variables)))
            .ToList();
    }

    private static IReadOnlyList<string> ResolveRoleIds(string expression, JsonObject variables)
    {
        var ids = GuidPattern.Matches(expression).Select(m => m.Value).ToList();
        foreach (Match reference in VariableReference.Matches(expression))
        {
            var variable = variables[reference.Groups["name"].Value];
            var member = reference.Groups["member"];
            var resolved = member.Success ? variable?[member.Value] : variable;
            ids.AddRange(resolved switch
            {
                JsonArray list => list.Select(InfraTemplate.Text),
                JsonNode single => [InfraTemplate.Text(single)],
                null => [],
            });
        }

        return ids;
    }

    private static readonly Regex GuidPattern = new("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", RegexOptions.IgnoreCase);
    private static readonly Regex VariableReference = new(@"variables\('(?<name>\w+)'\)(\.(?<member>\w+))?");
}
