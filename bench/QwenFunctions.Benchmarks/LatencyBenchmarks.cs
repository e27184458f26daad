using System.Diagnostics;
using System.Net;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Benchmarks;

internal sealed record LatencyResult(string Name, Samples Proxy, Samples Direct, int Failures);

/// <summary>Proxy time against the same upstream exchange done directly, on one app and emulator.</summary>
internal sealed class LatencyBenchmarks(EmulatedApp app)
{
    private readonly ProxyClient _proxy = new(app.Http);
    private readonly DirectQwenClient _direct = new(app.Emulator.BaseAddress, app.Accounts[0].Token);
    private int _failures;

    public async Task WarmUpAsync(int count)
    {
        await Load.RunAsync(count, 4, async (i, ct) =>
        {
            await _proxy.CompleteAsync($"warm {i}", ct);
            await _proxy.StreamAsync($"warm {i}", ct);
            await _direct.ExchangeAsync($"warm {i}", ct);
        });
    }

    /// <summary>Non-streaming end-to-end time. Proxy and direct alternate in rounds so drift hits both alike.</summary>
    public async Task<LatencyResult> NonStreamingAsync(int count, int concurrency, int rounds = 4)
    {
        var proxy = new Samples();
        var direct = new Samples();
        _failures = 0;
        for (var round = 0; round < rounds; round++)
        {
            await direct.TimeBatchAsync(() => Load.RunAsync(count / rounds, concurrency, async (i, ct) =>
            {
                var start = Stopwatch.GetTimestamp();
                await _direct.ExchangeAsync($"bench {i}", ct);
                direct.Add(start, Stopwatch.GetTimestamp());
            }));
            await proxy.TimeBatchAsync(() => Load.RunAsync(count / rounds, concurrency, async (i, ct) =>
            {
                var start = Stopwatch.GetTimestamp();
                var (status, answer) = await _proxy.CompleteAsync($"bench {i}", ct);
                var end = Stopwatch.GetTimestamp();
                if (status == HttpStatusCode.OK && answer == $"Echo: bench {i}") proxy.Add(start, end);
                else Interlocked.Increment(ref _failures);
            }));
            Housekeeping();
        }

        return new LatencyResult($"non-streaming, concurrency {concurrency}", proxy, direct, _failures);
    }

    /// <summary>Time to the first content token, streaming.</summary>
    public async Task<LatencyResult> TimeToFirstTokenAsync(int count, int concurrency, int rounds = 4)
    {
        var proxy = new Samples();
        var direct = new Samples();
        _failures = 0;
        for (var round = 0; round < rounds; round++)
        {
            await direct.TimeBatchAsync(() => Load.RunAsync(count / rounds, concurrency, async (i, ct) =>
            {
                var start = Stopwatch.GetTimestamp();
                var first = await _direct.ExchangeAsync($"stream {i}", ct);
                if (first != 0) direct.Add(start, first);
            }));
            await proxy.TimeBatchAsync(() => Load.RunAsync(count / rounds, concurrency, async (i, ct) =>
            {
                var start = Stopwatch.GetTimestamp();
                var outcome = await _proxy.StreamAsync($"stream {i}", ct);
                if (outcome.Status == HttpStatusCode.OK && outcome.FirstContentTimestamp != 0 && outcome.EndedWithDone) proxy.Add(start, outcome.FirstContentTimestamp);
                else Interlocked.Increment(ref _failures);
            }));
            Housekeeping();
        }

        return new LatencyResult($"streaming TTFT, concurrency {concurrency}", proxy, direct, _failures);
    }

    /// <summary>
    /// Managed bytes still reachable after a full GC, per request, for <paramref name="count"/> direct exchanges and then
    /// as many proxy requests. The emulator's chats are forgotten before each heap reading, so what is left is the
    /// client's (direct) or the proxy's (proxy minus direct).
    /// </summary>
    public async Task<(double DirectBytes, double ProxyBytes)> RetainedBytesPerRequestAsync(int count)
    {
        var baseline = RetainedHeap();
        await Load.RunAsync(count, 4, async (i, ct) => await _direct.ExchangeAsync($"keep {i}", ct));
        var afterDirect = RetainedHeap();
        await Load.RunAsync(count, 4, async (i, ct) => await _proxy.CompleteAsync($"keep {i}", ct));
        var afterProxy = RetainedHeap();
        return ((afterDirect - baseline) / (double)count, (afterProxy - afterDirect) / (double)count);
    }

    /// <summary>
    /// The harness's own floor: GET /api/health (API-key check, worker pipeline, a small JSON answer, no upstream call)
    /// through the same host and client, so "added by the proxy" minus this is what the chat path itself costs.
    /// </summary>
    public async Task<(string Name, Samples Samples)> FloorAsync(int count, int concurrency)
    {
        var samples = new Samples();
        await samples.TimeBatchAsync(() => Load.RunAsync(count, concurrency, async (_, ct) =>
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await app.Http.GetAsync("api/health", ct);
            await response.Content.ReadAsByteArrayAsync(ct);
            if (response.StatusCode == HttpStatusCode.OK) samples.Add(start, Stopwatch.GetTimestamp());
        }));
        Housekeeping();
        return ($"harness floor, GET /api/health through the same host (no upstream), concurrency {concurrency}", samples);
    }

    /// <summary>Log records the app writes per non-streaming request (at the configured level), to put the cost in context.</summary>
    public async Task<double> LogRecordsPerRequestAsync(int count)
    {
        Housekeeping();
        await Load.RunAsync(count, 1, async (i, ct) => await _proxy.CompleteAsync($"log {i}", ct));
        return app.Server.Logs.Count / (double)count;
    }

    private long RetainedHeap()
    {
        Housekeeping();
        app.Emulator.ForgetChats();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>The test host keeps every log record and the emulator every request; drop them between rounds.</summary>
    private void Housekeeping()
    {
        app.Emulator.ClearRequests();
        app.Server.Logs.Clear();
    }
}
