namespace QwenFunctions.Benchmarks;

/// <summary>Runs a bounded number of operations with a fixed number of concurrent workers.</summary>
internal static class Load
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(int count, int concurrency, Func<int, CancellationToken, Task> operation)
    {
        var next = -1;
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                using var timeout = new CancellationTokenSource(RequestTimeout);
                await operation(i, timeout.Token);
            }
        }));
        await Task.WhenAll(workers);
    }
}
