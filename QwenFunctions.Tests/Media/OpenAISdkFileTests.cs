using System.ClientModel;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Files;
using QwenFunctions.Accounts;
using QwenFunctions.Files;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Media;

public sealed class OpenAISdkFileTests(QwenEmulatorFixture fixture) : IClassFixture<QwenEmulatorFixture>
{
    private readonly QwenEmulator _emu = fixture.Emulator;

    [Fact]
    public async Task UploadFileAsync_OpenAISdkOverHttp_StoresTheFileAndItsIdResolvesToTheOwner()
    {
        var first = _emu.AddAccount();
        var second = _emu.AddAccount();
        await using var host = await FunctionsTestServer.StartAsync(MediaServices.Settings(_emu, [first.Token, second.Token]));
        var client = new OpenAIFileClient(new ApiKeyCredential("sk-test"), new OpenAIClientOptions { Endpoint = new Uri(host.BaseAddress, "api/v1") });

        var uploaded = (await client.UploadFileAsync(BinaryData.FromBytes(MediaServices.Png), "cat.png", FileUploadPurpose.Vision)).Value;

        var stored = Assert.Single(_emu.Uploads, u => u.FileId == uploaded.Id);
        Assert.Equal(MediaServices.Png, stored.Content);
        Assert.Equal("cat.png", uploaded.Filename);
        Assert.Equal(MediaServices.Png.Length, uploaded.SizeInBytes);
        var owner = await host.Services.GetRequiredService<AccountOwners>().OfTurnAsync(null, [uploaded.Id], CancellationToken.None);
        Assert.Equal(QwenAccount.Fingerprint(stored.OwnerToken), owner);
        var account = host.Services.GetRequiredService<AccountPool>().Find(owner!)!;
        var resolved = await host.Services.GetRequiredService<VisionInputResolver>().ResolveFilesAsync(account, [uploaded.Id], CancellationToken.None);
        Assert.Equal("image", (string?)resolved.Single()["type"]);
    }

    [Fact]
    public async Task Upload_OversizedOverHttp_Returns413ProblemDetailsOnTheNativeRoute()
    {
        var account = _emu.AddAccount();
        await using var host = await FunctionsTestServer.StartAsync(MediaServices.Settings(_emu, [account.Token]));
        var (body, boundary) = MediaServices.MultipartBody("big.png", "image/png", new byte[26 * 1024 * 1024]);
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={boundary}");

        HttpResponseMessage response;
        try
        {
            response = await host.Client.PostAsync("api/files/upload", content);
        }
        catch (HttpRequestException)
        {
            // The server may answer and close before the client finished sending; what matters is nothing went upstream.
            Assert.DoesNotContain(_emu.Requests, r => r.Token == account.Token);
            return;
        }

        using (response)
        {
            Assert.Equal(413, (int)response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("upload limit", await response.Content.ReadAsStringAsync());
        }

        Assert.DoesNotContain(_emu.Requests, r => r.Token == account.Token);
    }
}
