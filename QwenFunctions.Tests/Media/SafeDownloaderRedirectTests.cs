using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using QwenFunctions.Files;
using QwenFunctions.Http;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Media;

/// <summary>The configured upstream may be on loopback; a redirect from it to any other internal host must meet the guard.</summary>
public sealed class SafeDownloaderRedirectTests : IAsyncLifetime
{
    private WebApplication _internal = null!;
    private WebApplication _upstream = null!;
    private int _internalHits;

    public async Task InitializeAsync()
    {
        _internal = await StartAsync(app => app.MapGet("/secret.png", () =>
        {
            Interlocked.Increment(ref _internalHits);
            return Results.Bytes(MediaServices.Png, "image/png");
        }));
        var internalUrl = _internal.Urls.Single();
        _upstream = await StartAsync(app =>
        {
            app.MapGet("/output/own.png", () => Results.Bytes(MediaServices.Png, "image/png"));
            app.MapGet("/output/moved.png", () => Results.Redirect("/output/own.png"));
            app.MapGet("/output/elsewhere.png", () => Results.Redirect($"{internalUrl}/secret.png"));
        });
    }

    [Fact]
    public async Task Download_FromUpstreamRedirectingToAnotherInternalHost_IsRefusedAndNeverReachesIt()
    {
        await using var services = Services();
        var downloader = services.GetRequiredService<SafeDownloader>();

        var error = await Assert.ThrowsAsync<ApiException>(() =>
            downloader.DownloadAsync(new Uri($"{_upstream.Urls.Single()}/output/elsewhere.png"), "response_format", CancellationToken.None, fromUpstream: true));

        Assert.Equal("image_url_not_allowed", error.Code);
        Assert.Equal(0, _internalHits);
    }

    [Fact]
    public async Task Download_FromUpstreamOnLoopback_IncludingItsOwnRedirects_IsFetched()
    {
        await using var services = Services();
        var downloader = services.GetRequiredService<SafeDownloader>();

        var direct = await downloader.DownloadAsync(new Uri($"{_upstream.Urls.Single()}/output/own.png"), "response_format", CancellationToken.None, fromUpstream: true);
        var moved = await downloader.DownloadAsync(new Uri($"{_upstream.Urls.Single()}/output/moved.png"), "response_format", CancellationToken.None, fromUpstream: true);

        Assert.Equal(MediaServices.Png.Length, direct.Content.Length);
        Assert.Equal(MediaServices.Png.Length, moved.Content.Length);
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        await _internal.DisposeAsync();
    }

    private ServiceProvider Services() => TestServices.Build(new Dictionary<string, string?>
    {
        ["Qwen:BaseUrl"] = "https://chat.qwen.invalid",
        ["Qwen:OssEndpoint"] = _upstream.Urls.Single(),
        ["Files:AllowPrivateNetworkDownloads"] = "false",
    });

    private static async Task<WebApplication> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{LoopbackPort.Free()}");
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return app;
    }
}
