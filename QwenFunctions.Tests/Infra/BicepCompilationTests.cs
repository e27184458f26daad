using System.Text.RegularExpressions;

namespace QwenFunctions.Tests.Infra;

[Collection(InfraCollection.Name)]
public sealed class BicepCompilationTests(InfraTemplate infra)
{
    [Fact]
    public void Build_MainTemplate_SucceedsWithoutWarnings()
    {
        Assert.True(infra.Build.ExitCode == 0, "bicep build failed:\n" + infra.Build.Output);
        Assert.True(infra.Build.Diagnostics.Count == 0, "bicep build reported:\n" + string.Join('\n', infra.Build.Diagnostics));
        Assert.NotNull(infra.Main);
    }

    [Fact]
    public void Lint_EveryBicepFile_ReportsNothing()
    {
        Assert.True(infra.Lint.ExitCode == 0, "bicep lint failed:\n" + infra.Lint.Output);
        Assert.True(infra.Lint.Diagnostics.Count == 0, "bicep lint reported:\n" + string.Join('\n', infra.Lint.Diagnostics));
    }

    [Fact]
    public void Modules_AllOfThem_AreLocalFilesSoTheBuildWorksOffline()
    {
        var registryModule = new Regex(@"^\s*module\s+\w+\s+'(br|ts)[:/]", RegexOptions.Multiline);
        var offenders = Directory.EnumerateFiles(InfraTemplate.InfraDirectory, "*.bicep", SearchOption.AllDirectories)
            .Where(file => registryModule.IsMatch(File.ReadAllText(file)))
            .Select(file => Path.GetRelativePath(InfraTemplate.RepositoryRoot, file))
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void LinterConfig_SecurityRules_AreErrors()
    {
        using var config = InfraTemplate.ReadJsonFile(Path.Combine(InfraTemplate.InfraDirectory, "bicepconfig.json"));
        var rules = config.RootElement.GetProperty("analyzers").GetProperty("core").GetProperty("rules");

        foreach (var rule in new[] { "outputs-should-not-contain-secrets", "secure-parameter-default", "secure-secrets-in-params", "no-hardcoded-env-urls" })
        {
            Assert.Equal("error", rules.GetProperty(rule).GetProperty("level").GetString());
        }
    }
}
