using System.Net;
using Microsoft.Extensions.DependencyInjection;
using QwenFunctions.Files;
using QwenFunctions.Http;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Media;

/// <summary>Sizes and media types are checked before any STS grant is asked for, on every route that leads to one.</summary>
public sealed class UploadValidationTests(QwenEmulatorFixture fixture) : IClassFixture<QwenEmulatorFixture>
{
    private readonly QwenEmulator _emu = fixture.Emulator;

    [Theory]
    [InlineData("image/")]
    [InlineData("image/png x")]
    public async Task Upload_MalformedMediaType_Answers400BeforeAnyStsGrant(string contentType)
    {
        var account = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [account.Token]);
        var http = MediaServices.MultipartContext(services, "cat.png", contentType, MediaServices.Png);

        var ex = await Assert.ThrowsAsync<ApiException>(() => ActivatorUtilities.CreateInstance<FileFunctions>(services).UploadAsync(http.Request, CancellationToken.None));

        Assert.Equal(HttpStatusCode.BadRequest, ex.Status);
        Assert.Equal("unsupported_file_type", ex.Code);
        Assert.DoesNotContain(_emu.Requests, r => r.Token == account.Token);
    }

    [Fact]
    public async Task Chat_DataUriWithMalformedMediaType_Answers400BeforeAnyStsGrant()
    {
        await using var app = await EmulatedApp.StartAsync();
        var uri = "data:image/;base64," + Convert.ToBase64String(MediaServices.Png);

        var (response, body) = await app.PostJsonAsync("api/v1/chat/completions", new
        {
            messages = new[] { new { role = "user", content = new object[] { new { type = "text", text = "look" }, new { type = "image_url", image_url = new { url = uri } } } } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_media_type", body.GetProperty("error").GetProperty("code").GetString());
        Assert.DoesNotContain(app.Emulator.Requests, r => r.Path.Contains("getstsToken", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"filename":"big.png","filesize":4096,"filetype":"image"}""", HttpStatusCode.RequestEntityTooLarge, "file_too_large")]
    [InlineData("""{"filename":"tool.exe","filesize":10,"filetype":"file"}""", HttpStatusCode.BadRequest, "unsupported_file_type")]
    [InlineData("""{"filename":"cat.png","filesize":10,"filetype":"image/"}""", HttpStatusCode.BadRequest, "unsupported_file_type")]
    [InlineData("""{"filename":"run.sh","filesize":10,"filetype":"application/x-sh"}""", HttpStatusCode.BadRequest, "unsupported_file_type")]
    public async Task StsPassThrough_OverTheUploadRules_IsRefusedWithoutAGrant(string json, HttpStatusCode status, string code)
    {
        var account = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [account.Token], new Dictionary<string, string?> { ["Files:MaxUploadBytes"] = "1024" });
        var http = MediaServices.JsonContext(services, json);

        var ex = await Assert.ThrowsAsync<ApiException>(() => ActivatorUtilities.CreateInstance<FileFunctions>(services).GetStsTokenAsync(http.Request, CancellationToken.None));

        Assert.Equal((status, code), (ex.Status, ex.Code));
        Assert.DoesNotContain(_emu.Requests, r => r.Token == account.Token);
    }

    [Fact]
    public async Task StsPassThrough_TurnedOff_Answers404()
    {
        await using var app = await EmulatedApp.StartAsync(settings: s => s["Files:EnableStsPassThrough"] = "false");

        var (response, body) = await app.PostJsonAsync("api/files/getstsToken", new { filename = "cat.png", filesize = 68, filetype = "image" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", body.GetProperty("code").GetString());
        Assert.DoesNotContain(app.Emulator.Requests, r => r.Path.Contains("getstsToken", StringComparison.Ordinal));
    }
}
