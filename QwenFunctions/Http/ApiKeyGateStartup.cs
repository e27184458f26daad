using Microsoft.Extensions.Hosting;

namespace QwenFunctions.Http;

/// <summary>
/// Builds the gate when the host starts, so an open API (no API_KEYS) is reported in the start-up log
/// rather than at the first request, which may come hours later.
/// </summary>
internal sealed class ApiKeyGateStartup(ApiKeyGate gate) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(gate); // constructing the singleton logged the warning
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
