using System.ClientModel;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenAI;
using OpenAI.Images;
using QwenFunctions.Http;
using QwenFunctions.Images;
using QwenFunctions.Tests.Emulator;

namespace QwenFunctions.Tests.Media;

/// <summary>The official OpenAI .NET SDK against the image function over real HTTP (loopback Kestrel → function → emulator).</summary>
public sealed class OpenAISdkImageTests
{
    [Fact]
    public async Task GenerateImagesAsync_OpenAISdkOverHttp_ReturnsEmulatorImageUrls()
    {
        await using var emu = await QwenEmulator.StartAsync(new QwenEmulatorOptions { ImageCount = 2 });
        var account = emu.AddAccount();
        await using var host = await MediaHttpHost.StartAsync(emu, [account.Token]);
        var client = new ImageClient("dall-e-3", new ApiKeyCredential("sk-test"), new OpenAIClientOptions { Endpoint = host.ApiV1 });

        var result = await client.GenerateImagesAsync("a red kite over green hills", 2, new ImageGenerationOptions
        {
            Size = GeneratedImageSize.W1792xH1024,
            ResponseFormat = GeneratedImageFormat.Uri,
        });

        var urls = emu.Chats.Single().AssistantMessages.Single().ImageUrls;
        Assert.Equal(urls, result.Value.Select(i => i.ImageUri.ToString()));
        Assert.Contains("\"size\":\"16:9\"", emu.Requests.Single(r => r.Path == "/api/v2/chat/completions").Body);
    }

    [Fact]
    public async Task GenerateImageAsync_OpenAISdkBytes_ReturnsDecodedImage()
    {
        await using var emu = await QwenEmulator.StartAsync();
        var account = emu.AddAccount();
        await using var host = await MediaHttpHost.StartAsync(emu, [account.Token]);
        var client = new ImageClient("dall-e-3", new ApiKeyCredential("sk-test"), new OpenAIClientOptions { Endpoint = host.ApiV1 });

        var result = await client.GenerateImageAsync("a red kite", new ImageGenerationOptions { ResponseFormat = GeneratedImageFormat.Bytes });

        Assert.Equal(MediaServices.Png, result.Value.ImageBytes.ToArray());
    }

    [Fact]
    public async Task GenerateImageAsync_AllAccountsImageLimited_SdkSeesRateLimitError()
    {
        await using var emu = await QwenEmulator.StartAsync();
        var account = emu.AddAccount();
        emu.Faults.SetSticky(account.Token, Fault.RateLimited(num: 3), EmulatorEndpoint.ImageCompletion);
        await using var host = await MediaHttpHost.StartAsync(emu, [account.Token]);
        var client = new ImageClient("dall-e-3", new ApiKeyCredential("sk-test"), new OpenAIClientOptions { Endpoint = host.ApiV1, RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => client.GenerateImageAsync("a red kite"));

        Assert.Equal(429, ex.Status);
    }
}
