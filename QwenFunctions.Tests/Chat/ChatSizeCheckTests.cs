using System.Net;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Chat;

/// <summary>A message over Proxy:MaxUpstreamMessageBytes is refused before the model lookup, which may call the upstream.</summary>
public sealed class ChatSizeCheckTests
{
    [Fact]
    public async Task Chat_MessageOverTheCapWithAColdModelList_Answers400WithoutAnyUpstreamCall()
    {
        await using var app = await EmulatedApp.StartAsync(settings: s => s["Proxy:MaxUpstreamMessageBytes"] = "4096");

        var (response, body) = await app.PostJsonAsync("api/v1/chat/completions", new
        {
            model = "qwen3-max",
            messages = new[] { new { role = "user", content = new string('k', 8000) } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("context_length_exceeded", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Empty(app.Emulator.Requests);
    }
}
