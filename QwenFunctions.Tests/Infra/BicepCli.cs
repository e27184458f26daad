using System.Reflection;
using System.Text.RegularExpressions;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Infra;

internal sealed record BicepRun(int ExitCode, string Output)
{
    // Bicep prints diagnostics as "file(line,col) : Warning rule-id: message".
    private static readonly Regex DiagnosticLine = new(@"\)\s*:\s*(Warning|Error|Info)\s", RegexOptions.Compiled);

    public IReadOnlyList<string> Diagnostics =>
        Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => DiagnosticLine.IsMatch(line))
            .ToList();
}

/// <summary>Runs the Bicep CLI that NuGet restored for this test project (Azure.Bicep.CommandLine.linux-x64).</summary>
internal static class BicepCli
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    public static string ExecutablePath { get; } = Locate();

    public static async Task<BicepRun> RunAsync(string workingDirectory, params string[] arguments)
    {
        var run = await ChildProcess.RunAsync(ExecutablePath, arguments, RunTimeout, workingDirectory);
        return new BicepRun(run.ExitCode, run.Stdout + run.Stderr);
    }

    private static string Locate()
    {
        // BICEP_PATH lets machines that are not linux-x64 point at their own Bicep CLI.
        var path = Environment.GetEnvironmentVariable("BICEP_PATH");
        if (string.IsNullOrEmpty(path))
        {
            path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .SingleOrDefault(a => a.Key == "BicepPath")?.Value;
        }

        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new FileNotFoundException(
                "Bicep CLI not found. It comes from the Azure.Bicep.CommandLine.linux-x64 package (run dotnet restore), " +
                $"or set BICEP_PATH. Looked at: '{path}'.");
        }

        EnsureExecutable(path);
        return path;
    }

    private static void EnsureExecutable(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // NuGet extraction does not always keep the executable bit (the package ships it as rwxr--r--).
        var mode = File.GetUnixFileMode(path);
        if (!mode.HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute);
        }
    }
}
