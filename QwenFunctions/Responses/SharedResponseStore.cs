using Microsoft.Extensions.Logging;
using QwenFunctions.State;

namespace QwenFunctions.Responses;

/// <summary>
/// The table behind the breaker, with this instance's memory in front: a response stored while the table is down
/// (or too large for it) can still be read and continued here, never elsewhere.
/// </summary>
public sealed class SharedResponseStore(TableResponseStore table, InMemoryResponseStore memory, StorageCircuitBreaker breaker, ILogger<SharedResponseStore> logger)
    : IResponseStore
{
    public async ValueTask SaveAsync(StoredResponse response, CancellationToken cancellationToken)
    {
        await memory.SaveAsync(response, cancellationToken);
        var (done, fitted) = await breaker.TryExecuteAsync(ct => table.TrySaveAsync(response, ct), cancellationToken);
        if (!done || !fitted)
        {
            Log.StoredInMemoryOnly(logger, done ? "too large for one table entity" : "storage unavailable");
        }
    }

    public async ValueTask<StoredResponse?> FindAsync(string owner, string id, CancellationToken cancellationToken)
    {
        if (await memory.FindAsync(owner, id, cancellationToken) is { } known)
        {
            return known;
        }

        var (_, stored) = await breaker.TryExecuteAsync(ct => table.FindAsync(owner, id, ct).AsTask(), cancellationToken);
        return stored;
    }

    public async ValueTask<bool> DeleteAsync(string owner, string id, CancellationToken cancellationToken)
    {
        var inMemory = await memory.DeleteAsync(owner, id, cancellationToken);
        var (_, inTable) = await breaker.TryExecuteAsync(ct => table.DeleteAsync(owner, id, ct).AsTask(), cancellationToken);
        return inMemory || inTable;
    }
}
