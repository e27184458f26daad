using System.Runtime.InteropServices;
using System.Text;

namespace QwenFunctions.Benchmarks;

/// <summary>The Markdown tables printed at the end of a run.</summary>
internal static class Report
{
    public static string Markdown(IReadOnlyList<LatencyResult> latencies, AmplificationResult? amplification, TruncationResult? truncation,
        IReadOnlyList<(string Stage, long Bytes)> memory, (double Direct, double Proxy)? retained, double logRecords,
        DeltaCostResult? deltaCost, UploadHeapResult? upload, TimeSpan elapsed, IReadOnlyList<(string Name, Samples Samples)>? floors = null)
    {
        var md = LatencyTables(latencies, elapsed, floors);
        if (retained is { } kept)
        {
            md.AppendLine($"| managed bytes still reachable per request after a full GC | {kept.Proxy + kept.Direct:F0} | {kept.Direct:F0} | {kept.Proxy:F0} |");
        }

        md.AppendLine($"| log records written per request at Information (test host keeps them in memory) | {logRecords:F1} | – | – |");
        md.AppendLine();
        if (deltaCost is null || upload is null || amplification is null || truncation is null)
        {
            return md.ToString(); // one phase only (--phase)
        }

        md.AppendLine("| Streaming cost per delta (8 characters each), concurrency 1 | requests | proxy CPU ms / stream | direct CPU ms / stream | proxy bytes / stream | direct bytes / stream | **added CPU µs per delta** | **added bytes per delta** |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var row in deltaCost.Rows)
        {
            var perDelta = row.Deltas == deltaCost.Rows[0].Deltas ? "–" : $"**{deltaCost.AddedPerDelta(row).CpuMs * 1000:F1}**";
            var perDeltaBytes = row.Deltas == deltaCost.Rows[0].Deltas ? "–" : $"**{deltaCost.AddedPerDelta(row).Bytes:F0}**";
            md.AppendLine($"| {row.Deltas} deltas | {row.Requests} | {row.ProxyCpuMs:F2} | {row.DirectCpuMs:F2} | {row.ProxyBytes:F0} | {row.DirectBytes:F0} | {perDelta} | {perDeltaBytes} |");
        }

        var last = deltaCost.AddedPerDelta(deltaCost.Rows[^1]);
        var ten = deltaCost.AddedPerDelta(deltaCost.Rows[1]);
        md.AppendLine($"| **ratio, {deltaCost.Rows[^1].Deltas} deltas to {deltaCost.Rows[1].Deltas}, per delta** | | | | | | **{last.CpuMs / ten.CpuMs:F2}×** | **{last.Bytes / ten.Bytes:F2}×** |");
        md.AppendLine();
        md.AppendLine("| Upload (POST /api/v1/files, OSS PUT drained by a stub) | value |");
        md.AppendLine("|---|---|");
        md.AppendLine($"| file size (bytes) / answer | {upload.FileBytes} / HTTP {(int)upload.Status} |");
        md.AppendLine($"| peak managed heap rise, sampled every ms (includes garbage not yet collected), as a multiple of the file | {upload.Ratio:F2}× ({upload.PeakHeapRise / 1e6:F1} MB) |");
        md.AppendLine($"| **managed bytes allocated during the upload (an upper bound on the rise), as a multiple of the file** | **{upload.AllocatedRatio:F2}×** ({upload.Allocated / 1e6:F1} MB) |");
        md.AppendLine();
        md.AppendLine("| Resilience | value |");
        md.AppendLine("|---|---|");
        md.AppendLine($"| F1 pool of 3, account 1 always RateLimited: client requests / succeeded | {amplification.Requests} / {amplification.Succeeded} |");
        md.AppendLine($"| F1 upstream completion calls per client request (mean over {amplification.Requests}) | {(double)amplification.Completions / amplification.Requests:F2} |");
        md.AppendLine($"| F1 upstream calls per client request, chats/new + completions | {(double)amplification.UpstreamCalls / amplification.Requests:F2} |");
        md.AppendLine($"| F1 completion calls for the first request (the one that meets the limited account) | {amplification.FirstRequestCompletions} |");
        md.AppendLine($"| F1 completion calls ever sent to the limited account | {amplification.LimitedAccountCalls} |");
        md.AppendLine($"| F8 streams cut after 1 answer delta: requests | {truncation.Requests} |");
        md.AppendLine($"| F8 **truncated answers presented as success** (stream ended with [DONE]) | **{truncation.TruncatedSuccess}** |");
        md.AppendLine($"| F8 streams ending with an in-band error event and no [DONE] | {truncation.InBandErrors} |");
        md.AppendLine($"| F8 hangs (no end within {Load.RequestTimeout.TotalSeconds:F0} s) / other endings | {truncation.Hangs} / {truncation.Other} |");
        md.AppendLine($"| F8 non-streaming: HTTP 200 with a truncated answer, of {truncation.NonStreamingRequests} | {truncation.NonStreamingTruncatedSuccess} |");
        md.AppendLine($"| F8 non-streaming: full answer (retried before any byte reached the client) / error answers | {truncation.NonStreamingFullAnswers} / {truncation.NonStreamingErrorStatuses} |");
        md.AppendLine();
        md.AppendLine("| Process working set (whole process: proxy + emulator + load generator) | MiB |");
        md.AppendLine("|---|---|");
        foreach (var (stage, bytes) in memory) md.AppendLine($"| {stage} | {bytes / 1024.0 / 1024.0:F1} |");
        return md.ToString();
    }

    /// <summary>The machine line, the latency table and the cost rows of every result that timed its batches.</summary>
    public static StringBuilder LatencyTables(IReadOnlyList<LatencyResult> latencies, TimeSpan elapsed, IReadOnlyList<(string Name, Samples Samples)>? floors = null)
    {
        var md = new StringBuilder();
        md.AppendLine($"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, " +
            $"{(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC; total run {elapsed.TotalSeconds:F0} s.");
        md.AppendLine();
        md.AppendLine("| Latency (ms) | n proxy / direct | proxy p50 | p95 | p99 | direct p50 | p95 | p99 | **added p50** | **added p95** | **added p99** | failed |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in latencies) md.AppendLine(LatencyRow(r));
        md.AppendLine();
        md.AppendLine("| Cost | proxy | direct | added by the proxy |");
        md.AppendLine("|---|---|---|---|");
        foreach (var r in latencies.Where(r => r.Proxy.Wall > TimeSpan.Zero))
        {
            md.AppendLine($"| {r.Name}: requests/s | {r.Proxy.Throughput:F0} | {r.Direct.Throughput:F0} | – |");
            md.AppendLine($"| {r.Name}: process CPU ms per request | {r.Proxy.CpuMsPerRequest:F2} | {r.Direct.CpuMsPerRequest:F2} | {r.Proxy.CpuMsPerRequest - r.Direct.CpuMsPerRequest:F2} |");
            md.AppendLine($"| {r.Name}: managed bytes allocated per request | {r.Proxy.AllocatedBytesPerRequest:F0} | {r.Direct.AllocatedBytesPerRequest:F0} | {r.Proxy.AllocatedBytesPerRequest - r.Direct.AllocatedBytesPerRequest:F0} |");
        }

        foreach (var (name, floor) in floors ?? [])
        {
            md.AppendLine($"| {name}: requests/s, p50 ms | {floor.Throughput:F0}, {floor.Percentile(50):F2} | – | – |");
            md.AppendLine($"| {name}: process CPU ms per request | {floor.CpuMsPerRequest:F2} | – | – |");
            md.AppendLine($"| {name}: managed bytes allocated per request | {floor.AllocatedBytesPerRequest:F0} | – | – |");
        }

        return md;
    }

    private static string LatencyRow(LatencyResult r)
    {
        double[] percentiles = [50, 95, 99];
        var cells = new StringBuilder($"| {r.Name} | {r.Proxy.Count} / {r.Direct.Count} |");
        foreach (var p in percentiles) cells.Append($" {r.Proxy.Percentile(p):F2} |");
        foreach (var p in percentiles) cells.Append($" {r.Direct.Percentile(p):F2} |");
        foreach (var p in percentiles) cells.Append($" **{r.Proxy.Percentile(p) - r.Direct.Percentile(p):F2}** |");
        return cells.Append($" {r.Failures} |").ToString();
    }
}
