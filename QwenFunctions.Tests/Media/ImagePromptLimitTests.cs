using System.Net;
using System.Text.Json;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Media;

/// <summary>Proxy:MaxUpstreamMessageBytes caps image prompts as it caps chat, on every image surface, before any upstream call.</summary>
public sealed class ImagePromptLimitTests
{
    public static TheoryData<string, string> Surfaces => new()
    {
        { "api/v1/images/generations", """{"prompt":"PROMPT"}""" },
        { "api/images", """{"prompt":"PROMPT"}""" },
        { "api/chat", """{"message":"PROMPT","chatType":"t2i"}""" },
    };

    [Theory]
    [MemberData(nameof(Surfaces))]
    public async Task Generate_PromptOverTheUpstreamMessageCap_Answers400WithoutCallingTheUpstream(string route, string template)
    {
        await using var app = await EmulatedApp.StartAsync(settings: s => s["Proxy:MaxUpstreamMessageBytes"] = "4096");
        var body = template.Replace("PROMPT", new string('k', 8000));

        using var response = await app.PostAsync(route, body);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var code = error.TryGetProperty("error", out var envelope) ? envelope.GetProperty("code") : error.GetProperty("code");
        Assert.Equal("prompt_too_long", code.GetString());
        Assert.Empty(app.Emulator.Requests);
    }

    [Fact]
    public async Task Generate_PromptUnderTheCap_DrawsTheImage()
    {
        await using var app = await EmulatedApp.StartAsync(settings: s => s["Proxy:MaxUpstreamMessageBytes"] = "4096");

        var (response, _) = await app.PostJsonAsync("api/v1/images/generations", new { prompt = new string('k', 1000) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
