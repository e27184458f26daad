using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using QwenFunctions.State;

namespace QwenFunctions.Tests.State;

public sealed class StorageCircuitBreakerTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly StorageCircuitBreaker _breaker;
    private int _calls;

    public StorageCircuitBreakerTests()
    {
        var options = new StateOptions { Breaker = new BreakerSettings { FailureThreshold = 3, BreakDuration = TimeSpan.FromSeconds(30) } };
        _breaker = new StorageCircuitBreaker(new StaticOptionsMonitor(options), _time, NullLogger<StorageCircuitBreaker>.Instance);
    }

    [Fact]
    public async Task TryExecuteAsync_FailuresBelowThreshold_KeepsCallingTheStore()
    {
        await FailAsync(2);

        Assert.False(_breaker.IsOpen);
        Assert.True(await _breaker.TryExecuteAsync(_ => Count(), CancellationToken.None));
        Assert.Equal(3, _calls);
    }

    [Fact]
    public async Task TryExecuteAsync_ThresholdReached_OpensAndStopsCallingTheStore()
    {
        await FailAsync(3);

        Assert.True(_breaker.IsOpen);
        Assert.False(await _breaker.TryExecuteAsync(_ => Count(), CancellationToken.None));
        Assert.Equal(3, _calls);
    }

    [Fact]
    public async Task TryExecuteAsync_AfterBreakDurationProbeSucceeds_Closes()
    {
        await FailAsync(3);
        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.True(await _breaker.TryExecuteAsync(_ => Count(), CancellationToken.None));
        Assert.False(_breaker.IsOpen);
    }

    [Fact]
    public async Task TryExecuteAsync_AfterBreakDurationProbeFails_OpensForAnotherPeriod()
    {
        await FailAsync(3);
        _time.Advance(TimeSpan.FromSeconds(30));
        await FailAsync(1);

        Assert.True(_breaker.IsOpen);
        Assert.Equal(_time.GetUtcNow().AddSeconds(30), _breaker.OpenUntil);
        Assert.Contains("InvalidOperationException", _breaker.LastErrorType);
    }

    [Fact]
    public async Task TryExecuteAsync_CallerCancels_DoesNotCountAsStoreFailure()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                _breaker.TryExecuteAsync(ct => Task.FromCanceled(ct), cancelled.Token));
        }

        Assert.False(_breaker.IsOpen);
    }

    private Task Count()
    {
        _calls++;
        return Task.CompletedTask;
    }

    private async Task FailAsync(int times)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.False(await _breaker.TryExecuteAsync(async _ =>
            {
                await Count();
                throw new InvalidOperationException("store down");
            }, CancellationToken.None));
        }
    }

    private sealed class StaticOptionsMonitor(StateOptions value) : IOptionsMonitor<StateOptions>
    {
        public StateOptions CurrentValue => value;

        public StateOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<StateOptions, string?> listener) => null;
    }
}
