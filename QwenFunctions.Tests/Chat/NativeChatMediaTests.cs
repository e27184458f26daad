using System.Net;
using System.Net.Sockets;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Chat;

/// <summary>The seed's chatType switch on POST /api/chat: t2i draws, t2v starts a durable video job.</summary>
public sealed class NativeChatMediaTests
{
    [Fact]
    public async Task Chat_ChatTypeT2i_AnswersEveryImageUrlOnItsOwnLineWithChatIds()
    {
        await using var app = await EmulatedApp.StartAsync(emulatorOptions: new QwenEmulatorOptions { ImageCount = 2 });

        var (response, body) = await app.PostJsonAsync("api/chat", new { message = "draw a cat", chatType = "t2i", size = "16:9" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var content = body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        var urls = content.Split('\n');
        Assert.Equal(2, urls.Length);
        Assert.All(urls, u => Assert.StartsWith(app.Emulator.CdnBaseAddress.ToString(), u));
        Assert.Equal(app.Emulator.Chats.Single().Id, body.GetProperty("chatId").GetString());
        Assert.Equal("16:9", app.Emulator.Chats.Single().UserMessages.Single().Size);
    }

    [Fact]
    public async Task Chat_ChatTypeT2v_Answers202WithTheJobInsteadOfBlocking()
    {
        await using var durable = await DurableTaskTestHost.StartAsync(_ => { }, new DurableTaskTestHostOptions { Port = FreePort() });
        await using var app = await EmulatedApp.StartAsync(services: s => s.AddSingleton<DurableTaskClient>(durable.Client));

        var (response, body) = await app.PostJsonAsync("api/chat", new { message = "a kite over hills", chatType = "t2v", size = "1280x720" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal($"/api/videos/{id}", response.Headers.Location?.OriginalString);
        Assert.NotNull(response.Headers.RetryAfter);
        var instance = await durable.Client.GetInstanceAsync(id, getInputsAndOutputs: true);
        Assert.NotNull(instance);
        Assert.Contains("16:9", instance.SerializedInput);
        var status = await app.Http.GetAsync($"api/tasks/status/{id}");
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
