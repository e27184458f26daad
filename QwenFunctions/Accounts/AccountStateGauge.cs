using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using QwenFunctions.Telemetry;

namespace QwenFunctions.Accounts;

/// <summary>
/// Accounts by state as an observable gauge (qwen.accounts): active, cooling per feature, invalid. Read from this
/// instance's memory, which mirrors the last known shared state, so an export never waits for storage.
/// </summary>
internal sealed class AccountStateGauge(AccountPool pool, InMemoryAccountHealthStore memory, QwenMetrics metrics, TimeProvider time) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.Meter.CreateObservableGauge("qwen.accounts", Observe, "{account}", "Accounts by state; cooling accounts by feature.");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private IEnumerable<Measurement<int>> Observe()
    {
        var now = time.GetUtcNow();
        var healths = pool.Accounts.Select(a => memory.Current(a.Id)).ToList();
        var invalid = healths.Count(h => h.Invalid);
        yield return new Measurement<int>(invalid, new KeyValuePair<string, object?>(Attributes.AccountState, "invalid"));
        yield return new Measurement<int>(healths.Count(h => !h.Invalid && !Enum.GetValues<QwenFeature>().Any(f => h.IsCoolingDown(f, now))),
            new KeyValuePair<string, object?>(Attributes.AccountState, "active"));
        foreach (var feature in Enum.GetValues<QwenFeature>())
        {
            yield return new Measurement<int>(healths.Count(h => !h.Invalid && h.IsCoolingDown(feature, now)),
                new KeyValuePair<string, object?>(Attributes.AccountState, "cooling"),
                new KeyValuePair<string, object?>(Attributes.Feature, feature.ToString().ToLowerInvariant()));
        }
    }
}
