using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace QwenFunctions.Tests.Hosting;

/// <summary>
/// The app's composition root (AddQwen) over the given settings only, without a host or HTTP: for tests that call
/// services directly. <see cref="FunctionsTestServer"/> is the same with the HTTP functions served.
/// </summary>
public static class TestServices
{
    /// <param name="configure">Runs after AddQwen: replace TimeProvider, tune logging, add fakes.</param>
    public static ServiceProvider Build(
        IEnumerable<KeyValuePair<string, string?>> settings, Action<IServiceCollection>? configure = null, ServiceProviderOptions? options = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddQwen(configuration);
        configure?.Invoke(services);
        return services.BuildServiceProvider(options ?? new ServiceProviderOptions());
    }
}
