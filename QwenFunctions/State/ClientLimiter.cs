using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QwenFunctions.Http;

namespace QwenFunctions.State;

/// <summary>
/// Per API key limits from State:ClientLimits: requests per calendar minute and streams open at once.
/// Counted in the shared table when state is shared (approximate across instances: each instance trusts its view
/// of the others for <see cref="StateOptions.CacheTtl"/>), and locally when it is not or the table is unreachable.
/// </summary>
public sealed class ClientLimiter(
    IOptionsMonitor<StateOptions> options,
    TimeProvider time,
    ILogger<ClientLimiter> logger,
    ClientLimitTable? table = null,
    StorageCircuitBreaker? breaker = null) : IRequestLimiter
{
    private static readonly TimeSpan StreamRetryAfter = TimeSpan.FromSeconds(1);

    private readonly string _instanceId = Guid.NewGuid().ToString("N");
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long Window, int Count)> _requests = [];
    private readonly Dictionary<string, int> _streams = [];
    private readonly Dictionary<string, (int Count, DateTimeOffset ReadAt)> _otherStreams = [];
    private readonly SemaphoreSlim _publish = new(1, 1);

    /// <summary>Counts one request for the client; throws when it is over its requests-per-minute limit.</summary>
    /// <param name="apiKey">
    /// The caller's key id (<c>HttpPipeline.ApiKeyId</c>; null when the API is open, which puts every caller in one
    /// "anonymous" budget). It is hashed again before use, so even a raw key is never kept or stored.
    /// </param>
    /// <exception cref="ApiException">429 rate_limit_exceeded with Retry-After (the next minute) and x-should-retry: true.</exception>
    public async ValueTask AcquireRequestAsync(string? apiKey, CancellationToken cancellationToken)
    {
        if (options.CurrentValue.ClientLimits.RequestsPerMinute is not { } limit)
        {
            return;
        }

        var keyId = KeyId(apiKey);
        var now = time.GetUtcNow();
        var window = now.ToUnixTimeSeconds() / 60;
        var local = CountLocally(keyId, window, limit);
        var (shared, allowed) = table is null || breaker is null
            ? (false, false)
            : await breaker.TryExecuteAsync(ct => table.TryCountRequestAsync(keyId, window, limit, ct), cancellationToken);
        if (shared ? allowed : local)
        {
            return;
        }

        Log.ClientLimited(logger, keyId, "requests-per-minute");
        var nextWindow = DateTimeOffset.FromUnixTimeSeconds((window + 1) * 60);
        throw Limited($"This API key made {limit} requests this minute, its limit; retry when the minute turns.", nextWindow - now);
    }

    /// <summary>Takes a stream slot for the client until the returned lease is disposed.</summary>
    /// <param name="apiKey">As for <see cref="AcquireRequestAsync"/>.</param>
    /// <exception cref="ApiException">429 rate_limit_exceeded when the client already has its maximum of streams open.</exception>
    public async ValueTask<IAsyncDisposable> AcquireStreamAsync(string? apiKey, CancellationToken cancellationToken)
    {
        if (options.CurrentValue.ClientLimits.MaxConcurrentStreams is not { } cap)
        {
            return NoLease.Instance;
        }

        var keyId = KeyId(apiKey);
        var others = await CountOtherStreamsAsync(keyId, cancellationToken);
        lock (_gate)
        {
            var mine = _streams.GetValueOrDefault(keyId);
            if (mine + others >= cap)
            {
                Log.ClientLimited(logger, keyId, "concurrent-streams");
                throw Limited($"This API key already has {cap} streams open, its limit; retry when one ends.", StreamRetryAfter);
            }

            _streams[keyId] = mine + 1;
        }

        // The slot is counted: from here on it is released whatever is cancelled, or the key locks itself out.
        var lease = new StreamLease(this, keyId);
        try
        {
            await PublishStreamsAsync(keyId, cancellationToken);
        }
        catch
        {
            await lease.DisposeAsync();
            throw;
        }

        return lease;
    }

    /// <summary>The stable, non-secret id of a client key used for counters and logs.</summary>
    public static string KeyId(string? apiKey) => apiKey is null
        ? "anonymous"
        : "ck_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)))[..16];

    private bool CountLocally(string keyId, long window, int limit)
    {
        lock (_gate)
        {
            var (currentWindow, count) = _requests.GetValueOrDefault(keyId);
            count = currentWindow == window ? count : 0;
            _requests[keyId] = (window, count + 1);
            return count < limit;
        }
    }

    private async Task<int> CountOtherStreamsAsync(string keyId, CancellationToken cancellationToken)
    {
        if (table is null || breaker is null)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_otherStreams.TryGetValue(keyId, out var cached) && now - cached.ReadAt < options.CurrentValue.CacheTtl)
            {
                return cached.Count;
            }
        }

        var (done, others) = await breaker.TryExecuteAsync(ct => table.CountOtherStreamsAsync(keyId, _instanceId, ct), cancellationToken);
        lock (_gate)
        {
            // Unreachable table: keep the last count we saw rather than pretend the others closed everything.
            others = done ? others : _otherStreams.GetValueOrDefault(keyId).Count;
            _otherStreams[keyId] = (others, now);
            return others;
        }
    }

    private async ValueTask PublishStreamsAsync(string keyId, CancellationToken cancellationToken)
    {
        if (table is null || breaker is null)
        {
            return;
        }

        // One publish at a time, each sending the count at that moment, so a late write never publishes an old count.
        await _publish.WaitAsync(cancellationToken);
        try
        {
            int open;
            lock (_gate)
            {
                open = _streams.GetValueOrDefault(keyId);
            }

            await breaker.TryExecuteAsync(ct => table.PublishStreamsAsync(keyId, _instanceId, open, ct), cancellationToken);
        }
        finally
        {
            _publish.Release();
        }
    }

    private async ValueTask ReleaseStreamAsync(string keyId)
    {
        lock (_gate)
        {
            _streams[keyId] = Math.Max(0, _streams.GetValueOrDefault(keyId) - 1);
        }

        await PublishStreamsAsync(keyId, CancellationToken.None);
    }

    private static ApiException Limited(string message, TimeSpan retryAfter) =>
        new(HttpStatusCode.TooManyRequests, "rate_limit_exceeded", "rate_limit_exceeded", message)
        {
            RetryAfter = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds))),
            ShouldRetry = true,
        };

    private sealed class StreamLease(ClientLimiter limiter, string keyId) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync() =>
            Interlocked.Exchange(ref _released, 1) == 0 ? limiter.ReleaseStreamAsync(keyId) : ValueTask.CompletedTask;
    }

    private sealed class NoLease : IAsyncDisposable
    {
        public static readonly NoLease Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
