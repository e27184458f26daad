using System.ComponentModel;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using QwenFunctions.Http;

namespace QwenFunctions.Tests.Hosting;

// README — the app's HTTP functions on a loopback Kestrel port, for HTTP-level tests (and real SDK clients).
//
//   await using var server = await FunctionsTestServer.StartAsync(new Dictionary<string, string?> {
//       ["Qwen:BaseUrl"] = emu.BaseAddress.ToString(), ["Qwen:Tokens"] = "tok-a,tok-b" },
//       o => o.ConfigureServices = s => s.AddSingleton<TimeProvider>(fakeTime));
//   await server.Client.PostAsync("api/v1/chat/completions", …);   // Client.BaseAddress = http://127.0.0.1:<port>/
//
// Routes come from the functions' own [Function] + [HttpTrigger] attributes ("api/" + Route, the trigger's methods).
// Instances are made per request with ActivatorUtilities from the services AddQwen(configuration) registered, and every
// request runs through the same HttpPipeline as the worker middleware (x-request-id, API-key gate, error mapping).
// Parameters bound: HttpRequest, HttpContext, CancellationToken (RequestAborted), [FromBody] (JSON), and any other
// parameter by name from the route values (converted with its TypeConverter); other types via Options.Bindings.
// Logs of every level land in Logs. (Same public surface as the host on the `native` branch, so either can serve.)

/// <summary>Hosts the app's HTTP-triggered functions on Kestrel (127.0.0.1, random port) the way the worker would.</summary>
public sealed class FunctionsTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FunctionsTestServer(WebApplication app, Uri baseAddress, FakeLogCollector logs)
    {
        _app = app;
        BaseAddress = baseAddress;
        Logs = logs;
        Client = new HttpClient { BaseAddress = baseAddress };
    }

    /// <summary>Root of the server, e.g. <c>http://127.0.0.1:5123/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client on <see cref="BaseAddress"/>; request paths include the <c>api/</c> prefix.</summary>
    public HttpClient Client { get; }

    /// <summary>Every log record written by the app, at every level.</summary>
    public FakeLogCollector Logs { get; }

    /// <summary>The application's services (singletons are shared with the functions).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Every function route mapped, as "METHOD /api/route" (for diagnostics and coverage tests).</summary>
    public IReadOnlyList<string> Routes { get; private set; } = [];

    public static async Task<FunctionsTestServer> StartAsync(IReadOnlyDictionary<string, string?> settings, Action<FunctionsTestServerOptions>? configure = null)
    {
        var options = new FunctionsTestServerOptions();
        configure?.Invoke(options);
        var builder = WebApplication.CreateSlimBuilder();
        var logs = new FakeLogCollector();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(new FakeLoggerProvider(logs));

        builder.Configuration.Sources.Clear(); // only the given settings: no environment variables
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddQwen(builder.Configuration);
        builder.Services.AddMvc(); // as ConfigureFunctionsWebApplication does: executors for IActionResult returns
        options.ConfigureServices?.Invoke(builder.Services);

        var app = builder.Build();
        var routes = new List<string>();
        foreach (var function in HttpFunction.Discover(typeof(ServiceCollectionExtensions).Assembly))
        {
            app.MapMethods("/api/" + function.Route.TrimStart('/'), function.Methods, http => InvokeAsync(http, function, options.Bindings));
            routes.AddRange(function.Methods.Select(m => $"{m} /api/{function.Route.TrimStart('/')}"));
        }

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new FunctionsTestServer(app, new Uri(address.TrimEnd('/') + "/"), logs) { Routes = routes };
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Streams still open at the end of a test; disposal closes them.
        }

        await _app.DisposeAsync();
    }

    // As in the worker: HttpPipeline (what HttpPipelineMiddleware runs) around the function; the returned result is
    // executed afterwards, outside it, as FunctionsHttpProxyingMiddleware (the outermost worker middleware) does.
    private static async Task InvokeAsync(HttpContext http, HttpFunction function, IReadOnlyDictionary<Type, Func<HttpContext, object?>> bindings)
    {
        object? result = null;
        var pipeline = http.RequestServices.GetRequiredService<HttpPipeline>();
        await pipeline.RunAsync(http, async () =>
        {
            var instance = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(http.RequestServices, function.Method.DeclaringType!);
            var args = new object?[function.Parameters.Length];
            for (var i = 0; i < args.Length; i++)
            {
                args[i] = await BindAsync(function.Parameters[i], http, bindings);
            }

            try
            {
                result = await UnwrapAsync(function.Method.Invoke(instance, args));
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            }
        });

        if (!http.RequestAborted.IsCancellationRequested)
        {
            await ExecuteAsync(result, http);
        }
    }

    private static async ValueTask<object?> BindAsync(ParameterInfo parameter, HttpContext http, IReadOnlyDictionary<Type, Func<HttpContext, object?>> bindings)
    {
        var type = parameter.ParameterType;
        if (bindings.TryGetValue(type, out var bind))
        {
            return bind(http);
        }

        if (type == typeof(HttpRequest)) return http.Request;
        if (type == typeof(HttpContext)) return http;
        if (type == typeof(CancellationToken)) return http.RequestAborted;
        if (parameter.GetCustomAttributes().Any(a => a.GetType().Name == "FromBodyAttribute"))
        {
            return await JsonSerializer.DeserializeAsync(http.Request.Body, type, JsonSerializerOptions.Web, http.RequestAborted);
        }

        if (http.GetRouteValue(parameter.Name!) is { } routeValue)
        {
            var text = Convert.ToString(routeValue, CultureInfo.InvariantCulture);
            return type == typeof(string) ? text : TypeDescriptor.GetConverter(type).ConvertFromInvariantString(text!);
        }

        if (parameter.HasDefaultValue || !type.IsValueType || Nullable.GetUnderlyingType(type) is not null)
        {
            return parameter.HasDefaultValue ? parameter.DefaultValue : null;
        }

        throw new InvalidOperationException($"FunctionsTestServer cannot bind parameter '{parameter.Name}' ({type.Name}); add it to Options.Bindings.");
    }

    private static async Task<object?> UnwrapAsync(object? result)
    {
        if (result is ValueTask valueTask)
        {
            await valueTask;
            return null;
        }

        if (result?.GetType() is { IsGenericType: true } generic && generic.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            result = generic.GetMethod(nameof(ValueTask<int>.AsTask))!.Invoke(result, null);
        }

        if (result is Task task)
        {
            await task;
            var type = task.GetType();
            return type.IsGenericType && type.GetProperty("Result") is { } property && property.PropertyType.Name != "VoidTaskResult"
                ? property.GetValue(task)
                : null;
        }

        return result;
    }

    private static async Task ExecuteAsync(object? result, HttpContext http)
    {
        switch (result)
        {
            case null:
                return;
            case IActionResult action:
                await action.ExecuteResultAsync(new ActionContext(http, http.GetRouteData(), new ActionDescriptor()));
                return;
            case IResult typed:
                await typed.ExecuteAsync(http);
                return;
            case string text:
                await http.Response.WriteAsync(text, http.RequestAborted);
                return;
            default:
                await http.Response.WriteAsJsonAsync(result, result.GetType(), JsonSerializerOptions.Web, http.RequestAborted);
                return;
        }
    }

    /// <summary>An HTTP-triggered function method, its route and methods, read from its attributes.</summary>
    private sealed record HttpFunction(MethodInfo Method, ParameterInfo[] Parameters, string Route, string[] Methods)
    {
        public static IEnumerable<HttpFunction> Discover(Assembly assembly) =>
            from type in assembly.GetTypes()
            from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            where method.GetCustomAttribute<FunctionAttribute>() is not null
            let parameters = method.GetParameters()
            let trigger = parameters.Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)
            where trigger is not null
            select new HttpFunction(method, parameters, trigger.Route ?? method.GetCustomAttribute<FunctionAttribute>()!.Name,
                (trigger.Methods ?? ["GET", "POST"]).Select(m => m.ToUpperInvariant()).ToArray());
    }
}

public sealed class FunctionsTestServerOptions
{
    /// <summary>Runs after AddQwen: replace TimeProvider, stores, add fakes.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    /// <summary>Values for function parameters of other types, by parameter type (e.g. DurableTaskClient).</summary>
    public Dictionary<Type, Func<HttpContext, object?>> Bindings { get; } = [];
}
