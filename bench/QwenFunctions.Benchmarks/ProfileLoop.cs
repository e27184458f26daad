using System.Diagnostics;
using System.Net;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Benchmarks;

/// <summary>
/// Proxy requests only, for a profiler: warm up, announce the process id, then one kind of request at concurrency 8
/// for a fixed time, and print what each request allocated and cost in CPU (whole process, client and emulator included).
/// </summary>
internal static class ProfileLoop
{
    public static async Task RunAsync(EmulatedApp app, bool streaming, TimeSpan duration)
    {
        var proxy = new ProxyClient(app.Http);
        await new LatencyBenchmarks(app).WarmUpAsync(500);
        Console.WriteLine($"PROFILE pid={Environment.ProcessId} {(streaming ? "streaming" : "nonstreaming")} for {duration.TotalSeconds:F0} s");
        var samples = new Samples();
        var failures = 0;
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            await samples.TimeBatchAsync(() => Load.RunAsync(400, 8, async (i, ct) =>
            {
                var start = Stopwatch.GetTimestamp();
                var ok = streaming
                    ? (await proxy.StreamAsync($"stream {i}", ct)) is { Status: HttpStatusCode.OK, EndedWithDone: true }
                    : (await proxy.CompleteAsync($"bench {i}", ct)) is (HttpStatusCode.OK, var answer) && answer == $"Echo: bench {i}";
                if (ok) samples.Add(start, Stopwatch.GetTimestamp());
                else Interlocked.Increment(ref failures);
            }));
            app.Emulator.ClearRequests();
            app.Server.Logs.Clear();
        }

        Console.WriteLine($"PROFILE-END requests={samples.Count} failed={failures} bytes/request={samples.AllocatedBytesPerRequest:F0} " +
            $"cpu-ms/request={samples.CpuMsPerRequest:F2} requests/s={samples.Throughput:F0}");
    }
}
