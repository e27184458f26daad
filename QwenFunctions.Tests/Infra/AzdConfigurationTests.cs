using System.Text.Json;
using System.Text.RegularExpressions;

namespace QwenFunctions.Tests.Infra;

[Collection(InfraCollection.Name)]
public sealed class AzdConfigurationTests(InfraTemplate infra)
{
    // The secrets come from the azd environment (azd env set QWEN_TOKENS …); everything else is an AZURE_* value.
    private static readonly HashSet<string> SecretEnvironmentVariables = ["QWEN_TOKENS", "QWEN_REFRESH_TOKENS", "QWEN_TOKEN_ENCRYPTION_KEY", "API_KEYS", "ANTHROPIC_THINKING_SIGNATURE_KEY"];

    [Fact]
    public void AzureYaml_ApiService_IsADotnetFunctionBuiltFromTheAppProject()
    {
        var yaml = File.ReadAllText(Path.Combine(InfraTemplate.RepositoryRoot, "azure.yaml"));

        var service = Regex.Match(yaml, @"^services:\s*\n\s+api:\s*\n(?<body>(\s{4,}\S.*\n?)+)", RegexOptions.Multiline);
        Assert.True(service.Success, "azure.yaml must declare services.api.");
        var body = service.Groups["body"].Value;
        Assert.Matches(@"project:\s*\./QwenFunctions/?\s*$", FirstLine(body, "project:"));
        Assert.Matches(@"language:\s*dotnet\s*$", FirstLine(body, "language:"));
        Assert.Matches(@"host:\s*function\s*$", FirstLine(body, "host:"));
        Assert.True(File.Exists(Path.Combine(InfraTemplate.RepositoryRoot, "QwenFunctions", "QwenFunctions.csproj")));
    }

    [Fact]
    public void ParametersFile_Values_AreAzdEnvironmentSubstitutionsOnly()
    {
        using var file = InfraTemplate.ReadJsonFile(Path.Combine(InfraTemplate.InfraDirectory, "main.parameters.json"));
        var declared = infra.RequireMain()["parameters"]!.AsObject();
        var substitution = new Regex(@"^\$\{(?<name>[A-Z0-9_]+)\}$");

        foreach (var parameter in file.RootElement.GetProperty("parameters").EnumerateObject())
        {
            Assert.True(declared.ContainsKey(parameter.Name), $"main.bicep has no parameter {parameter.Name}.");
            var value = parameter.Value.GetProperty("value");
            Assert.Equal(JsonValueKind.String, value.ValueKind);
            var match = substitution.Match(value.GetString()!);
            Assert.True(match.Success, $"{parameter.Name} must be a ${{VARIABLE}} substitution, not a literal.");
            var variable = match.Groups["name"].Value;
            Assert.True(
                variable.StartsWith("AZURE_", StringComparison.Ordinal) || SecretEnvironmentVariables.Contains(variable),
                $"{parameter.Name} reads {variable}; only AZURE_* variables and the documented secrets are allowed.");
        }
    }

    [Fact]
    public void ParametersFile_RequiredParameters_AreAllMapped()
    {
        using var file = InfraTemplate.ReadJsonFile(Path.Combine(InfraTemplate.InfraDirectory, "main.parameters.json"));
        var mapped = file.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToHashSet();

        var unmapped = infra.RequireMain()["parameters"]!.AsObject()
            .Where(p => p.Value?["defaultValue"] is null && !mapped.Contains(p.Key))
            .Select(p => p.Key)
            .ToList();

        Assert.True(unmapped.Count == 0, "Parameters without defaults need a main.parameters.json entry: " + string.Join(", ", unmapped));
    }

    private static string FirstLine(string body, string key) =>
        body.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.StartsWith(key, StringComparison.Ordinal)) ?? "";
}
