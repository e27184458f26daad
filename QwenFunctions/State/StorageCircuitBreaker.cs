using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace QwenFunctions.State;

/// <summary>
/// Guards every call to the shared store. After <see cref="BreakerSettings.FailureThreshold"/> failures in a row it opens:
/// callers get "not done" at once and use memory instead; after <see cref="BreakerSettings.BreakDuration"/> one call probes.
/// </summary>
public sealed class StorageCircuitBreaker(IOptionsMonitor<StateOptions> options, TimeProvider time, ILogger<StorageCircuitBreaker> logger)
{
    private readonly Lock _gate = new();
    private int _failures;
    private DateTimeOffset? _openUntil;
    private bool _probing;

    /// <summary>True from the moment the breaker opens until a probe succeeds.</summary>
    public bool IsOpen
    {
        get
        {
            lock (_gate)
            {
                return _openUntil is not null;
            }
        }
    }

    public DateTimeOffset? OpenUntil
    {
        get
        {
            lock (_gate)
            {
                return _openUntil;
            }
        }
    }

    public string? LastErrorType { get; private set; }

    /// <summary>Raised when the breaker opens (not on each failed probe).</summary>
    public event Action? Opened;

    /// <summary>Raised when a probe finds the store again.</summary>
    public event Action? Closed;

    /// <summary>Runs <paramref name="operation"/> unless the breaker is open. Store failures are swallowed and counted.</summary>
    /// <returns>Whether the operation ran to completion, and its value.</returns>
    public async Task<(bool Done, T Value)> TryExecuteAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        if (!TryEnter(out var isProbe))
        {
            return (false, default!);
        }

        var settings = options.CurrentValue;
        using var timeout = new CancellationTokenSource(settings.OperationTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var value = await operation(linked.Token);
            OnSuccess();
            return (true, value);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller gave up; that says nothing about the store.
            ReleaseProbe(isProbe);
            throw;
        }
        catch (Exception ex)
        {
            OnFailure(ex, isProbe, settings.Breaker);
            return (false, default!);
        }
    }

    public async Task<bool> TryExecuteAsync(Func<CancellationToken, Task> operation, CancellationToken cancellationToken)
    {
        var (done, _) = await TryExecuteAsync(async ct =>
        {
            await operation(ct);
            return true;
        }, cancellationToken);
        return done;
    }

    private bool TryEnter(out bool isProbe)
    {
        lock (_gate)
        {
            isProbe = false;
            if (_openUntil is null)
            {
                return true;
            }

            if (time.GetUtcNow() < _openUntil || _probing)
            {
                return false;
            }

            // Half-open: exactly one caller finds out whether the store is back.
            _probing = true;
            isProbe = true;
            return true;
        }
    }

    private void OnSuccess()
    {
        bool closed;
        lock (_gate)
        {
            closed = _openUntil is not null;
            _failures = 0;
            _openUntil = null;
            _probing = false;
        }

        if (closed)
        {
            Log.BreakerClosed(logger);
            Closed?.Invoke();
        }
    }

    private void OnFailure(Exception ex, bool isProbe, BreakerSettings settings)
    {
        var errorType = ex is Azure.RequestFailedException rf ? $"{ex.GetType().Name} {rf.Status}" : ex.GetType().Name;
        LastErrorType = errorType;
        bool opened;
        int failures;
        lock (_gate)
        {
            failures = ++_failures;
            _probing = false;
            opened = isProbe || (_openUntil is null && failures >= settings.FailureThreshold);
            if (opened)
            {
                _openUntil = time.GetUtcNow() + settings.BreakDuration;
            }
        }

        Log.StoreCallFailed(logger, errorType, failures, ex);
        if (opened && !isProbe)
        {
            Log.BreakerOpened(logger, settings.BreakDuration, failures, errorType);
            Opened?.Invoke();
        }
    }

    private void ReleaseProbe(bool isProbe)
    {
        if (isProbe)
        {
            lock (_gate)
            {
                _probing = false;
            }
        }
    }
}
