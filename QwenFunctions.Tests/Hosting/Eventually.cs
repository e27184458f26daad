namespace QwenFunctions.Tests.Hosting;

/// <summary>Waits for a condition that another process (server, emulator) makes true; fails after <c>timeout</c>.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!condition())
        {
            if (cts.IsCancellationRequested)
            {
                Assert.Fail($"Condition not met within {timeout}.");
            }

            await Task.Delay(10, CancellationToken.None);
        }
    }
}
