namespace QwenFunctions.Benchmarks;

/// <summary>Latency samples in milliseconds, read back as nearest-rank percentiles.</summary>
internal sealed class Samples
{
    private readonly List<double> _values = [];

    /// <summary>Wall time of the batches that produced these samples.</summary>
    public TimeSpan Wall { get; private set; }

    /// <summary>Process CPU time (all threads: client, proxy, emulator) spent during those batches.</summary>
    public TimeSpan Cpu { get; private set; }

    /// <summary>Managed bytes allocated by the whole process (all threads) during those batches.</summary>
    public long Allocated { get; private set; }

    /// <summary>Requests per second over <see cref="Wall"/>.</summary>
    public double Throughput => Count / Wall.TotalSeconds;

    /// <summary>Process CPU milliseconds per sample.</summary>
    public double CpuMsPerRequest => Cpu.TotalMilliseconds / Count;

    /// <summary>Managed bytes allocated per sample.</summary>
    public double AllocatedBytesPerRequest => Allocated / (double)Count;

    /// <summary>Runs one batch and adds its wall and CPU time.</summary>
    public async Task TimeBatchAsync(Func<Task> batch)
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        await batch();
        Wall += System.Diagnostics.Stopwatch.GetElapsedTime(start);
        Allocated += GC.GetTotalAllocatedBytes(precise: true) - allocated;
        process.Refresh();
        Cpu += process.TotalProcessorTime - cpu;
    }

    public int Count { get { lock (_values) { return _values.Count; } } }

    public void Add(long startTimestamp, long endTimestamp)
    {
        var ms = (endTimestamp - startTimestamp) * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
        lock (_values) { _values.Add(ms); }
    }

    public double Percentile(double p)
    {
        double[] sorted;
        lock (_values) { sorted = [.. _values.Order()]; }
        if (sorted.Length == 0) return double.NaN;
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
