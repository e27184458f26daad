using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Docs;

/// <summary>Headless Chromium from the Debian `chromium` package (.ci/run installs it).</summary>
internal static class Chromium
{
    public static string? Executable { get; } = new[] { Environment.GetEnvironmentVariable("CHROMIUM_PATH"), "chromium", "chromium-browser" }
        .OfType<string>()
        .Select(Resolve)
        .FirstOrDefault(path => path is not null);

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Loads the page, lets its scripts run for up to the virtual-time budget, and returns the resulting DOM.</summary>
    public static async Task<string> DumpDomAsync(Uri page, CancellationToken cancellationToken)
    {
        var profile = Directory.CreateTempSubdirectory("qwen-chromium-");
        try
        {
            var run = await ChildProcess.RunAsync(
                Executable ?? throw new InvalidOperationException("Chromium is not installed: apt-get install -y chromium"),
                [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", $"--user-data-dir={profile.FullName}", "--virtual-time-budget=15000", "--dump-dom", page.ToString(),
                ],
                Timeout.InfiniteTimeSpan,
                cancellationToken: cancellationToken);
            return run.ExitCode == 0 ? run.Stdout : throw new InvalidOperationException($"chromium exited with {run.ExitCode}: {run.Stderr}");
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    private static string? Resolve(string name) => Path.IsPathRooted(name)
        ? File.Exists(name) ? name : null
        : ChildProcess.FindOnPath(name);
}

/// <summary>A fact that needs Chromium: skipped with a reason on a machine without it, but never skipped in CI (CI=true).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Executable is null && !Chromium.IsCi)
        {
            Skip = "Chromium is not installed (apt-get update && apt-get install -y chromium); CI=true makes this test fail instead.";
        }
    }
}
