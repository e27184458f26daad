using System.Net;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Chat;

/// <summary>A slow non-streaming upstream call (behind the resilience pipeline) is a timeout: rotate, never a 500.</summary>
public sealed class UpstreamTimeoutRotationTests
{
    [Fact]
    public async Task Chat_ChatCreationTimesOutOnFirstAccount_ServedByTheNextAccount()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2, settings: s => s["Qwen:Timeouts:Request"] = "00:00:01");
        app.Emulator.Faults.Enqueue(Fault.SlowFirstByte(TimeSpan.FromSeconds(30)), endpoint: EmulatorEndpoint.ChatsNew);

        var (response, body) = await app.PostJsonAsync("api/v1/chat/completions", new { messages = new[] { new { role = "user", content = "hi" } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Echo: hi", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(2, app.Emulator.Requests.Count(r => r.Path == "/api/v2/chats/new"));
    }

    [Fact]
    public async Task Chat_ChatCreationTimesOutOnOnlyAccount_Answers504NotServerError()
    {
        await using var app = await EmulatedApp.StartAsync(settings: s => s["Qwen:Timeouts:Request"] = "00:00:01");
        app.Emulator.Faults.Enqueue(Fault.SlowFirstByte(TimeSpan.FromSeconds(30)), endpoint: EmulatorEndpoint.ChatsNew);

        var (response, body) = await app.PostJsonAsync("api/v1/chat/completions", new { messages = new[] { new { role = "user", content = "hi" } } });

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("upstream_timeout", body.GetProperty("error").GetProperty("code").GetString());
    }
}
