using System.Text.Json;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.NodeSdk;

/// <summary>
/// Runs a scenario of checks.mjs (the official openai and @anthropic-ai/sdk npm packages) against the app.
/// The packages are the versions of package-lock.json; the first test of a run installs them (`npm ci`) when they
/// are missing, so `dotnet test` alone works from a fresh clone.
/// </summary>
internal static class NodeSdk
{
    private static readonly Lazy<Task> Install = new(InstallAsync);

    public static string Directory { get; } = Path.Combine(RepositoryRoot.Path, "QwenFunctions.Tests", "NodeSdk");

    public static bool NodeIsInstalled => OnPath("node") && OnPath("npm");

    private static bool IsInstalled =>
        File.Exists(Path.Combine(Directory, "node_modules", "openai", "package.json"))
        && File.Exists(Path.Combine(Directory, "node_modules", "@anthropic-ai", "sdk", "package.json"));

    public static async Task<JsonElement> RunAsync(EmulatedApp app, string scenario, string? apiKey = null)
    {
        await Install.Value;
        var (exitCode, stdout, stderr) = await RunProcessAsync("node", ["checks.mjs", scenario], new()
        {
            ["QWEN_APP"] = new Uri(app.Server.BaseAddress, "api").ToString().TrimEnd('/'),
            ["QWEN_KEY"] = apiKey ?? "sk-unused",
        });
        Assert.True(exitCode == 0, $"node checks.mjs {scenario} exited with {exitCode}:\n{stderr}\n{stdout}");
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    private static async Task InstallAsync()
    {
        if (!IsInstalled)
        {
            var (exitCode, stdout, stderr) = await RunProcessAsync("npm", ["ci", "--no-audit", "--no-fund"], []);
            Assert.True(exitCode == 0, $"npm ci in {Directory} failed ({exitCode}):\n{stderr}\n{stdout}");
        }
    }

    private static Task<ChildProcessResult> RunProcessAsync(string file, string[] arguments, Dictionary<string, string> environment) =>
        ChildProcess.RunAsync(file, arguments, TimeSpan.FromMinutes(3), Directory, environment);

    private static bool OnPath(string name) => ChildProcess.FindOnPath(name) is not null;
}

/// <summary>A fact that needs Node.js: skipped with a reason where it is not installed, never skipped in CI (CI=true).</summary>
public sealed class NodeSdkFactAttribute : FactAttribute
{
    public NodeSdkFactAttribute()
    {
        if (!NodeSdk.NodeIsInstalled && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = "Node.js (node and npm) is not installed; CI=true makes this test fail instead.";
        }
    }
}
