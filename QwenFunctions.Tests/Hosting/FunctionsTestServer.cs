using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace QwenFunctions.Tests.Hosting;

// README — the app's HTTP functions on a loopback Kestrel, without the Functions host (func is not installable here).
//
//   await using var server = await FunctionsTestServer.StartAsync(new Dictionary<string, string?>
//   {
//       ["QWEN_BASE_URL"] = emulator.BaseAddress.ToString(),
//       ["QWEN_TOKENS"] = "token-a,token-b",
//       ["API_KEYS"] = "key-1",
//   }, o => o.ConfigureServices = s => s.AddSingleton<TimeProvider>(fakeTime));
//   var response = await server.Client.GetAsync("api/v1/models");   // Client.BaseAddress = http://127.0.0.1:<port>/
//
// Routing comes from the functions' own [Function] + [HttpTrigger] attributes (route prefix "api", methods, route
// constraints); services from AddQwen(configuration) with only the given settings (no environment variables);
// every invocation runs through the same worker middleware as in production. Logs of every level land in Logs.
// Upstream retries keep their count but not their backoff delay, so fault tests stay fast.
// Input bindings (e.g. [DurableClient] DurableTaskClient) bind to a service of their type the test registered
// (o.ConfigureServices = s => s.AddSingleton(durableTestHost.Client)); other unknown types via Options.Bindings.

/// <summary>Runs the app's HTTP-triggered functions on 127.0.0.1 with a random port. Dispose to stop.</summary>
public sealed class FunctionsTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FunctionsTestServer(WebApplication app, FakeLogCollector logs, IReadOnlyList<HttpFunction> functions)
    {
        _app = app;
        Logs = logs;
        Functions = functions;
    }

    /// <summary>Root of the server, e.g. <c>http://127.0.0.1:5123/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>A client on <see cref="BaseAddress"/>; request paths include the <c>api/</c> prefix.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>The app's root service provider (AddQwen plus the test's overrides).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Every log record written by the app and the host, at every level.</summary>
    public FakeLogCollector Logs { get; }

    /// <summary>The functions being served.</summary>
    public IReadOnlyList<HttpFunction> Functions { get; }

    public static async Task<FunctionsTestServer> StartAsync(IReadOnlyDictionary<string, string?> settings, Action<FunctionsTestServerOptions>? configure = null)
    {
        var options = new FunctionsTestServerOptions();
        configure?.Invoke(options);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));

        var logs = new FakeLogCollector();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(new FakeLoggerProvider(logs));

        builder.Services.AddQwen(builder.Configuration);
        builder.Services.AddMvc(); // as ConfigureFunctionsWebApplication does: IActionResult returns need its executors

        // Same retry policy, no waiting: a test of an unreachable upstream should not take the real backoff (seconds).
        builder.Services.ConfigureAll<HttpStandardResilienceOptions>(o => o.Retry.Delay = TimeSpan.Zero);
        options.ConfigureServices?.Invoke(builder.Services);

        var app = builder.Build();
        var functions = HttpFunction.Discover(typeof(ServiceCollectionExtensions).Assembly);
        var bindings = options.Bindings;
        foreach (var function in functions)
        {
            RequestDelegate handler = http => WorkerPipeline.RunAsync(http, function, bindings);
            var endpoint = function.HttpMethods is null ? app.Map(function.Pattern, handler) : app.MapMethods(function.Pattern, function.HttpMethods, handler);
            endpoint.WithDisplayName(function.Name);
        }

        var server = new FunctionsTestServer(app, logs, functions);
        try
        {
            await app.StartAsync(); // runs ValidateOnStart, as the worker's host start does
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        server.Client = new HttpClient { BaseAddress = server.BaseAddress };
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Streams still open; disposal closes them.
        }

        await _app.DisposeAsync();
    }
}

public sealed class FunctionsTestServerOptions
{
    /// <summary>Runs after AddQwen: replace TimeProvider, stores, add fakes.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    /// <summary>Values for function parameters of other types, by parameter type (e.g. DurableTaskClient).</summary>
    public Dictionary<Type, Func<HttpContext, object?>> Bindings { get; } = [];
}
