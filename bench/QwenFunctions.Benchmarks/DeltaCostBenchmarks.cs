using System.Net;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Benchmarks;

internal sealed record DeltaCost(int Deltas, int Requests, double ProxyCpuMs, double DirectCpuMs, double ProxyBytes, double DirectBytes);

internal sealed record DeltaCostResult(IReadOnlyList<DeltaCost> Rows)
{
    /// <summary>What one more delta costs through the proxy beyond the direct exchange, against a one-delta answer.</summary>
    public (double CpuMs, double Bytes) AddedPerDelta(DeltaCost row)
    {
        var one = Rows[0];
        var n = row.Deltas - one.Deltas;
        return (((row.ProxyCpuMs - row.DirectCpuMs) - (one.ProxyCpuMs - one.DirectCpuMs)) / n,
            ((row.ProxyBytes - row.DirectBytes) - (one.ProxyBytes - one.DirectBytes)) / n);
    }
}

/// <summary>
/// Streams whose answers have 1, 10 and 5,000 deltas of the same size (8 characters): the proxy's cost of one more
/// delta must not grow with the answer's length.
/// </summary>
internal static class DeltaCostBenchmarks
{
    private const int CharsPerDelta = 8;

    public static async Task<DeltaCostResult> RunAsync(EmulatedApp app)
    {
        var proxy = new ProxyClient(app.Http);
        var direct = new DirectQwenClient(app.Emulator.BaseAddress, app.Accounts[0].Token);
        var rows = new List<DeltaCost>();
        var saved = app.Emulator.Options.AnswerDeltaCount;
        foreach (var (deltas, requests) in new[] { (1, 400), (10, 400), (5000, 20) })
        {
            app.Emulator.Options.AnswerDeltaCount = deltas;
            // "Echo: " plus the prompt is split into `deltas` pieces of CharsPerDelta characters.
            var prompt = new string('x', (deltas * CharsPerDelta) - "Echo: ".Length);
            var proxySamples = new Samples();
            var directSamples = new Samples();
            for (var round = 0; round < 2; round++)
            {
                await directSamples.TimeBatchAsync(() => Load.RunAsync(requests / 2, 1, async (_, ct) =>
                {
                    await direct.ExchangeAsync(prompt, ct);
                    directSamples.Add(0, 0);
                }));
                await proxySamples.TimeBatchAsync(() => Load.RunAsync(requests / 2, 1, async (_, ct) =>
                {
                    var outcome = await proxy.StreamAsync(prompt, ct);
                    if (outcome.Status != HttpStatusCode.OK || !outcome.EndedWithDone)
                    {
                        throw new InvalidOperationException($"A {deltas}-delta stream failed ({outcome.Status}).");
                    }

                    proxySamples.Add(0, 0);
                }));
                app.Emulator.ClearRequests();
                app.Server.Logs.Clear();
            }

            rows.Add(new DeltaCost(deltas, requests, proxySamples.CpuMsPerRequest, directSamples.CpuMsPerRequest,
                proxySamples.AllocatedBytesPerRequest, directSamples.AllocatedBytesPerRequest));
        }

        app.Emulator.Options.AnswerDeltaCount = saved;
        direct.Dispose();
        return new DeltaCostResult(rows);
    }
}
