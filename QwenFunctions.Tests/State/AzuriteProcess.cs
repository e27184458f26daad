using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.State;

/// <summary>
/// A real Azurite on loopback, on free ports, with its own data folder. <see cref="StopAsync"/> and
/// <see cref="StartAsync()"/> can cycle it mid-test on the same ports and data (the outage tests need that).
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    // Azurite's published development account key: not a secret, the same on every machine.
    private const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private const string NpxPackage = "azurite@3.37.0";

    // npx may have to fetch the package on first use.
    private static readonly TimeSpan StartupLimit = TimeSpan.FromSeconds(180);

    private readonly string _executable;
    private readonly string _location = Directory.CreateTempSubdirectory("azurite-").FullName;
    private readonly int _blobPort = LoopbackPort.Free();
    private readonly int _queuePort = LoopbackPort.Free();
    private Process? _process;

    private AzuriteProcess(string executable)
    {
        _executable = executable;
        TablePort = LoopbackPort.Free();
    }

    public int TablePort { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevAccountKey};TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    /// <summary>
    /// node_modules/.bin/azurite above the test output (a repo-local npm install), else AZURITE_PATH, else azurite on
    /// PATH, else npx (which runs a pinned Azurite, fetching it once).
    /// </summary>
    public static string? FindExecutable()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var local = Path.Combine(dir.FullName, "node_modules", ".bin", "azurite");
            if (File.Exists(local))
            {
                return local;
            }
        }

        if (Environment.GetEnvironmentVariable("AZURITE_PATH") is { Length: > 0 } configured && File.Exists(configured))
        {
            return configured;
        }

        return ChildProcess.FindOnPath("azurite") ?? ChildProcess.FindOnPath("npx");
    }

    public static async Task<AzuriteProcess> StartNewAsync(string executable)
    {
        var azurite = new AzuriteProcess(executable);
        await azurite.StartAsync();
        return azurite;
    }

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileName(_executable) == "npx")
        {
            start.ArgumentList.Add("--yes");
            start.ArgumentList.Add(NpxPackage);
        }

        foreach (var argument in new[]
        {
            "--blobHost", "127.0.0.1", "--blobPort", _blobPort.ToString(),
            "--queueHost", "127.0.0.1", "--queuePort", _queuePort.ToString(),
            "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(),
            "--location", _location, "--disableTelemetry", "--skipApiVersionCheck", "--loose", "--silent",
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {_executable}.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilListeningAsync();
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_location, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = DateTime.UtcNow + StartupLimit;
        while (true)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode} before listening on 127.0.0.1:{TablePort}.");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, TablePort);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                // Readiness polling while the emulator boots; no test timing depends on it.
                await Task.Delay(100);
            }
        }
    }

}
