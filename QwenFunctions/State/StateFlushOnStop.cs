using Microsoft.Extensions.Hosting;

namespace QwenFunctions.State;

/// <summary>Bindings are written behind requests: an instance that stops pushes what it still holds (bounded by the host's shutdown timeout).</summary>
internal sealed class StateFlushOnStop(ResilientAccountBindingStore bindings, ResilientAccountHealthStore health) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(bindings.FlushAsync(cancellationToken), health.FlushAsync(cancellationToken));
}
