using System.Text.Json;

namespace QwenFunctions.Tests.Hosting;

/// <summary>The one host.json at the top is what Core Tools and the build output see.</summary>
public sealed class HostJsonTests
{
    [Fact]
    public void ProjectHostJson_IsTheTopLevelFile()
    {
        var root = RepositoryRoot.Path;

        // QwenFunctions/host.json is a symlink: `func start` in QwenFunctions/ must find it there, not walk up.
        Assert.Equal(File.ReadAllText(Path.Combine(root, "host.json")), File.ReadAllText(Path.Combine(root, "QwenFunctions", "host.json")));
    }

    [Fact]
    public void HostJson_HasNoExtensionBundleAndNamesTheTaskHub()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "host.json")));

        Assert.False(doc.RootElement.TryGetProperty("extensionBundle", out _)); // an isolated app loads extensions from its build output
        Assert.Equal("QwenFunctionsHub", doc.RootElement.GetProperty("extensions").GetProperty("durableTask").GetProperty("hubName").GetString());
    }

    [Fact]
    public void HostJson_LogsRequestsToApplicationInsightsButNotTwoRecordsPerInvocation()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "host.json")));
        var logging = doc.RootElement.GetProperty("logging");
        var levels = logging.GetProperty("logLevel");

        // Host.Results is the request telemetry; Function.<name> carries the Executing/Executed pair of every call.
        Assert.Equal("Information", levels.GetProperty("Host.Results").GetString());
        Assert.Equal("Warning", levels.GetProperty("Function").GetString());
        Assert.Equal("Warning", levels.GetProperty("default").GetString());
        var sampling = logging.GetProperty("applicationInsights").GetProperty("samplingSettings");
        Assert.True(sampling.GetProperty("isEnabled").GetBoolean());
        Assert.Contains("Request", sampling.GetProperty("excludedTypes").GetString()!.Split(';'));
    }
}
