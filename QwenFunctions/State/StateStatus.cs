using Microsoft.Extensions.Hosting;

namespace QwenFunctions.State;

/// <summary>What /api/status reports about shared state.</summary>
/// <param name="Shared">State is kept in Table Storage (false: this instance's memory only).</param>
/// <param name="Store">"table" or "memory".</param>
/// <param name="Source">Where the connection came from (e.g. "AzureWebJobsStorage"), never the connection itself.</param>
/// <param name="BreakerOpen">The store failed repeatedly; requests are served from memory until a probe succeeds.</param>
/// <param name="BreakerOpenUntil">When the next probe may run, while the breaker is open.</param>
/// <param name="LastError">The type of the last store failure (e.g. "RequestFailedException 503"), no message.</param>
/// <param name="UnsyncedWrites">Changes held in this instance's memory that the table does not have yet (written behind requests, or made during an outage).</param>
/// <param name="DroppedWrites">Changes dropped because that backlog was full (the oldest first), since start.</param>
public sealed record StateStatus(
    bool Shared, string Store, string? Source, bool BreakerOpen, DateTimeOffset? BreakerOpenUntil, string? LastError, int UnsyncedWrites = 0, long DroppedWrites = 0);

public interface IStateStatus
{
    StateStatus GetStatus();
}

internal sealed class MemoryStateStatus : IStateStatus
{
    public StateStatus GetStatus() => new(false, "memory", null, false, null, null);
}

/// <summary>
/// What the shared stores report, and what they do when the host stops: bindings are written behind requests, and
/// health and rotated refresh tokens learned during an outage wait in memory, so an instance that stops pushes what
/// it still holds (bounded by the host's shutdown timeout).
/// </summary>
internal sealed class TableStateStatus(
    StateConnection connection, StorageCircuitBreaker breaker, SharedAccountBindingStore bindings, SharedAccountHealthStore health,
    TableRefreshTokenStore refreshes) : IStateStatus, IHostedService
{
    public StateStatus GetStatus() =>
        new(true, "table", connection.Description, breaker.IsOpen, breaker.OpenUntil, breaker.LastErrorType,
            bindings.Unsynced + health.Unsynced + refreshes.Unsynced, bindings.Dropped + health.Dropped);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(bindings.FlushAsync(cancellationToken), health.FlushAsync(cancellationToken), refreshes.FlushAsync(cancellationToken));
}
