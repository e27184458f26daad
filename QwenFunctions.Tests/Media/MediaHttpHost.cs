using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QwenFunctions.Files;
using QwenFunctions.Http;
using QwenFunctions.Images;
using QwenFunctions.Tests.Emulator;

namespace QwenFunctions.Tests.Media;

/// <summary>
/// A minimal loopback Kestrel app that routes the media paths to the function methods through the app's HTTP pipeline,
/// as the Functions host would, so real SDKs can be pointed at it.
/// </summary>
internal sealed class MediaHttpHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MediaHttpHost(WebApplication app, ServiceProvider services, Uri root)
    {
        _app = app;
        Services = services;
        Root = root;
    }

    public ServiceProvider Services { get; }

    /// <summary>http://127.0.0.1:port/api/</summary>
    public Uri Root { get; }

    public Uri ApiV1 => new(Root, "v1");

    public static async Task<MediaHttpHost> StartAsync(QwenEmulator emu, IEnumerable<string> tokens)
    {
        var services = MediaServices.Create(emu, tokens);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        Map<ImageFunctions>(app, services, "/api/v1/images/generations", (f, r, ct) => f.GenerateOpenAIAsync(r, ct));
        Map<ImageFunctions>(app, services, "/api/images", (f, r, ct) => f.GenerateNativeAsync(r, ct));
        Map<FileFunctions>(app, services, "/api/v1/files", (f, r, ct) => f.UploadOpenAIAsync(r, ct));
        Map<FileFunctions>(app, services, "/api/files/upload", (f, r, ct) => f.UploadAsync(r, ct));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new MediaHttpHost(app, services, new Uri(address.TrimEnd('/') + "/api/"));
    }

    private static void Map<TFunction>(WebApplication app, IServiceProvider services, string path, Func<TFunction, HttpRequest, CancellationToken, Task<IActionResult>> invoke)
        where TFunction : class =>
        app.MapPost(path, async http =>
        {
            http.RequestServices = services;
            await services.GetRequiredService<HttpPipeline>().RunAsync(http, async () =>
            {
                var result = await invoke(ActivatorUtilities.CreateInstance<TFunction>(services), http.Request, http.RequestAborted);
                await MediaServices.ExecuteOnlyAsync(result, http);
            });
        });

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await Services.DisposeAsync();
    }
}
