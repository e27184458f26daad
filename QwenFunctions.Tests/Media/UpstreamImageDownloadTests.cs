using System.Net;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Media;

/// <summary>The SSRF guard protects against client URLs; images the configured upstream produced on its own host are fetched.</summary>
public sealed class UpstreamImageDownloadTests
{
    [Fact]
    public async Task Generate_B64JsonFromUpstreamOnLoopback_DownloadsWithoutPrivateNetworkSetting()
    {
        await using var app = await EmulatedApp.StartAsync();

        var (response, body) = await app.PostJsonAsync("api/v1/images/generations", new { prompt = "a cat", response_format = "b64_json" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(Convert.FromBase64String(body.GetProperty("data")[0].GetProperty("b64_json").GetString()!));
    }

    [Fact]
    public async Task Chat_ClientImageUrlOnTheUpstreamLoopbackHost_IsStillRefused()
    {
        await using var app = await EmulatedApp.StartAsync();
        var internalUrl = new Uri(app.Emulator.CdnBaseAddress, "output/x.png").ToString().Replace("http://", "https://");

        var (response, body) = await app.PostJsonAsync("api/v1/chat/completions", new
        {
            messages = new[] { new { role = "user", content = new object[] { new { type = "text", text = "look" }, new { type = "image_url", image_url = new { url = internalUrl } } } } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("image_url_not_allowed", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Empty(app.Emulator.Uploads);
    }
}
