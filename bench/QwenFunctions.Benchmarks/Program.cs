using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QwenFunctions.Benchmarks;
using QwenFunctions.Tests.Hosting;

// Proxy overhead benchmark: emulator, proxy and load generator share this process and 127.0.0.1. See bench/README.md.
//   (no arguments)                      every phase, Markdown tables
//   --phase latency                     only the in-memory latency and cost phase (warm-up, logs, the four batches,
//                                       the harness floor, retained bytes)
//   --phase agents                      only the agent-surface streams (tool call, Responses, Anthropic; about a minute)
//   --profile nonstreaming|streaming    warm up, print "PROFILE pid=<pid>", then proxy requests only at concurrency 8
//     [--seconds 30]                    for a profiler to attach (dotnet-trace collect -p <pid>); prints bytes/request
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var total = Stopwatch.StartNew();
var phase = Argument("--phase") ?? "all";
var profile = Argument("--profile");

// The test host logs at Trace into memory; production (host.json) logs at Information.
static void ProductionLogLevel(IServiceCollection services) => services.Configure<LoggerFilterOptions>(o => o.MinLevel = LogLevel.Information);

if (profile is not null)
{
    await using var profiled = await StartKeyedAsync();
    await ProfileLoop.RunAsync(profiled, streaming: profile == "streaming", TimeSpan.FromSeconds(double.Parse(Argument("--seconds") ?? "30", CultureInfo.InvariantCulture)));
    return;
}

if (phase == "agents")
{
    await using var agentApp = await StartKeyedAsync();
    var agentResults = await AgentPhasesAsync(agentApp);
    Console.WriteLine(Report.LatencyTables(agentResults, total.Elapsed));
    return;
}

var memory = new List<(string, long)> { ("before start", WorkingSet()) };
var latencies = new List<LatencyResult>();
var floors = new List<(string Name, Samples Samples)>();
(double Direct, double Proxy)? retained = null;
double logRecords;
DeltaCostResult? deltaCost = null;
await using (var app = await StartKeyedAsync())
{
    memory.Add(("hosts started, idle", WorkingSet()));
    var latency = new LatencyBenchmarks(app);
    await latency.WarmUpAsync(500);
    memory.Add(("after warm-up", WorkingSet()));
    logRecords = await latency.LogRecordsPerRequestAsync(100);
    latencies.Add(await latency.NonStreamingAsync(count: 1000, concurrency: 1));
    latencies.Add(await latency.NonStreamingAsync(count: 4000, concurrency: 8));
    latencies.Add(await latency.TimeToFirstTokenAsync(count: 1000, concurrency: 1));
    latencies.Add(await latency.TimeToFirstTokenAsync(count: 2000, concurrency: 8));
    floors.Add(await latency.FloorAsync(count: 1000, concurrency: 1));
    floors.Add(await latency.FloorAsync(count: 4000, concurrency: 8));
    memory.Add(("after the latency run", WorkingSet()));
    if (phase == "all")
    {
        latencies.AddRange(await AgentPhasesAsync(app));
        deltaCost = await DeltaCostBenchmarks.RunAsync(app);
    }

    retained = await latency.RetainedBytesPerRequestAsync(4000);
    memory.Add(("after a full GC, hosts still running", WorkingSet()));
}

if (phase != "all")
{
    Console.WriteLine(Report.Markdown(latencies, null, null, memory, retained, logRecords, null, null, total.Elapsed, floors));
    return;
}

// Shared state in Azurite (a separate process: its CPU is not in these figures, its latency is).
if (QwenFunctions.Tests.State.AzuriteProcess.FindExecutable() is { } azuriteExecutable)
{
    await using var azurite = await QwenFunctions.Tests.State.AzuriteProcess.StartNewAsync(azuriteExecutable);
    await using var shared = await StartKeyedAsync(s => s["State:ConnectionString"] = azurite.ConnectionString);
    var sharedLatency = new LatencyBenchmarks(shared);
    await sharedLatency.WarmUpAsync(200);
    latencies.Add((await sharedLatency.NonStreamingAsync(count: 1000, concurrency: 1)) with { Name = "non-streaming, shared state (Azurite), concurrency 1" });
    latencies.Add((await sharedLatency.NonStreamingAsync(count: 2000, concurrency: 8)) with { Name = "non-streaming, shared state (Azurite), concurrency 8" });
}

var amplification = await ResilienceBenchmarks.RetryAmplificationAsync(50, ProductionLogLevel);
var truncation = await ResilienceBenchmarks.CutStreamsAsync(50, ProductionLogLevel);
var upload = await UploadHeapBenchmark.RunAsync(ProductionLogLevel);
memory.Add(("after all runs, hosts stopped", WorkingSet()));
GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
GC.WaitForPendingFinalizers();
GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
memory.Add(("after a full GC, hosts stopped", WorkingSet()));

Console.WriteLine(Report.Markdown(latencies, amplification, truncation, memory, retained, logRecords, deltaCost, upload, total.Elapsed, floors));

static async Task<List<LatencyResult>> AgentPhasesAsync(EmulatedApp app)
{
    var agents = new AgentSurfaceBenchmarks(app);
    await agents.WarmUpAsync(100);
    var results = new List<LatencyResult>();
    foreach (var surface in AgentSurfaceBenchmarks.Surfaces)
    {
        results.AddRange(await agents.RunAsync(surface, count: 400, concurrency: 1));
        results.AddRange(await agents.RunAsync(surface, count: 800, concurrency: 8));
    }

    return results;
}

// A deployed proxy has API_KEYS set, so every request pays the key check: three keys, the client sends the last.
static async Task<EmulatedApp> StartKeyedAsync(Action<Dictionary<string, string?>>? settings = null)
{
    var app = await EmulatedApp.StartAsync(accounts: 1, settings: s =>
    {
        s["API_KEYS"] = "bench-key-one,bench-key-two,bench-key-three";
        settings?.Invoke(s);
    }, services: ProductionLogLevel);
    app.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "bench-key-three");
    return app;
}

static long WorkingSet()
{
    using var process = Process.GetCurrentProcess();
    return process.WorkingSet64;
}

string? Argument(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
