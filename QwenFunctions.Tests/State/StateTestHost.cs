using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using QwenFunctions.Upstream;
using QwenFunctions.Accounts;
using QwenFunctions.State;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.State;

/// <summary>One app instance: the real composition root, with its own memory and caches, on a shared fake clock.</summary>
public sealed class StateTestHost : IAsyncDisposable
{
    public const string TokenA = "test-token-alpha";
    public const string TokenB = "test-token-bravo";

    private readonly ServiceProvider _services;

    private StateTestHost(ServiceProvider services) => _services = services;

    public IServiceProvider Services => _services;

    public AccountPool Pool => _services.GetRequiredService<AccountPool>();

    public AccountAttemptRunner Runner => _services.GetRequiredService<AccountAttemptRunner>();

    /// <summary>A new instance; <paramref name="connectionString"/> null means no storage at all (memory only).</summary>
    public static StateTestHost Create(string? connectionString, string tablePrefix, FakeTimeProvider time, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Qwen:Tokens"] = $"{TokenA},{TokenB}",
            ["State:TableNamePrefix"] = tablePrefix,
            ["State:Breaker:FailureThreshold"] = "2",
            ["State:Breaker:BreakDuration"] = "00:00:30",
            // On the fake clock a poll for a binding still being written would wait forever; tests that race a
            // write set their own timeout and advance the clock.
            ["State:BindingWaitTimeout"] = "00:00:00",
        };
        if (connectionString is not null)
        {
            values["State:ConnectionString"] = connectionString;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        return new StateTestHost(TestServices.Build(values, s => s.AddSingleton<TimeProvider>(time), new ServiceProviderOptions { ValidateOnBuild = true }));
    }

    /// <summary>A table prefix no other test uses, so tests sharing one Azurite do not see each other's rows.</summary>
    public static string UniquePrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Waits until this instance's bindings, written behind its requests, are in the table.</summary>
    public Task FlushBindingsAsync() => Get<SharedAccountBindingStore>().FlushAsync(CancellationToken.None);

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
