using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using QwenFunctions.Docs;
using QwenFunctions.Http;

namespace QwenFunctions.Tests.Docs;

/// <summary>
/// Kestrel on 127.0.0.1 serving DocsFunctions the way the worker does: routes from the [HttpTrigger] attributes under
/// /api, the app's HttpPipeline around each call, IActionResult executed afterwards. Every request is recorded.
/// </summary>
internal sealed class DocsTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DocsTestServer(WebApplication app) => _app = app;

    public ConcurrentQueue<(string Path, int Status)> Requests { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<DocsTestServer> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Services.AddRouting();
        builder.Services.AddQwen(builder.Configuration);
        var app = builder.Build();
        var server = new DocsTestServer(app);

        app.Use(async (context, next) =>
        {
            await next(context);
            server.Requests.Enqueue((context.Request.Path.Value ?? "", context.Response.StatusCode));
        });
        app.UseRouting();
        foreach (var function in typeof(DocsFunctions).GetMethods().Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null))
        {
            var trigger = function.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).OfType<HttpTriggerAttribute>().Single();
            app.MapMethods($"/{OpenApiDocumentProvider.RoutePrefix}/{trigger.Route}", trigger.Methods!, context => InvokeAsync(context, function));
        }

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseAddress = new Uri(address);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static Task InvokeAsync(HttpContext context, MethodInfo function) =>
        context.RequestServices.GetRequiredService<HttpPipeline>().RunAsync(context, async () =>
        {
            var target = ActivatorUtilities.CreateInstance<DocsFunctions>(context.RequestServices);
            var arguments = function.GetParameters()
                .Select(object? (p) => p.ParameterType == typeof(HttpRequest) ? context.Request : context.Request.RouteValues[p.Name!]?.ToString())
                .ToArray();
            var result = function.Invoke(target, arguments) switch
            {
                Task<IActionResult> pending => await pending,
                IActionResult done => done,
                var other => throw new InvalidOperationException($"{function.Name} returned {other?.GetType().Name}."),
            };
            await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
        });
}
