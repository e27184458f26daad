using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using QwenFunctions.Accounts;
using QwenFunctions.Files;
using QwenFunctions.Http;
using QwenFunctions.Tests.Emulator;

namespace QwenFunctions.Tests.Media;

public sealed class VisionInputResolverTests(QwenEmulatorFixture fixture) : IClassFixture<QwenEmulatorFixture>
{
    private readonly QwenEmulator _emu = fixture.Emulator;

    private static JsonArray ImagePart(string url) => new(
        new JsonObject { ["type"] = "text", ["text"] = "What is in this picture?" },
        new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = url, ["detail"] = "auto" } });

    private static string DataUri(byte[] bytes) => "data:image/png;base64," + Convert.ToBase64String(bytes);

    [Fact]
    public async Task ResolveAsync_DataUri_UploadsOnceAndReturnsImageFileEntry()
    {
        var account = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [account.Token]);
        var resolver = services.GetRequiredService<VisionInputResolver>();

        var first = await resolver.ResolveAsync(ImagePart(DataUri(MediaServices.Png)), null, CancellationToken.None);
        var second = await resolver.ResolveAsync(ImagePart(DataUri(MediaServices.Png)), null, CancellationToken.None);

        Assert.Equal("What is in this picture?", first.Text);
        var entry = Assert.Single(first.Files);
        Assert.Equal("image", (string?)entry["type"]);
        Assert.Equal("vision", (string?)entry["file_class"]);
        Assert.Equal("image/png", (string?)entry["file_type"]);
        Assert.Equal("uploaded", (string?)entry["status"]);
        var upload = Assert.Single(_emu.Uploads, u => u.OwnerToken == account.Token);
        Assert.Equal(MediaServices.Png, upload.Content);
        Assert.Equal(upload.FileId, (string?)entry["id"]);
        Assert.Equal((string?)entry["url"], (string?)second.Files[0]["url"]);
        Assert.Equal(QwenAccount.Fingerprint(account.Token), first.AccountId);
    }

    [Fact]
    public async Task ResolveAsync_DataUriAboveCap_Returns413WithoutUploading()
    {
        var account = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [account.Token], new Dictionary<string, string?> { ["Files:MaxDownloadBytes"] = "1000" });

        var ex = await Assert.ThrowsAsync<ApiException>(() => services.GetRequiredService<VisionInputResolver>()
            .ResolveAsync(ImagePart(DataUri(new byte[5000])), null, CancellationToken.None));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, ex.Status);
        Assert.DoesNotContain(_emu.Requests, r => r.Token == account.Token);
    }

    [Fact]
    public async Task ResolveAsync_QwenStorageUrl_PassesThroughWithoutUpload()
    {
        var account = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [account.Token]);
        const string url = "https://cdn.qwenlm.ai/output/u1/t2i/r1/cat.png?key=abc";

        var resolved = await services.GetRequiredService<VisionInputResolver>().ResolveAsync(ImagePart(url), null, CancellationToken.None);

        Assert.Equal(url, (string?)resolved.Files.Single()["url"]);
        Assert.Equal("image", (string?)resolved.Files.Single()["type"]);
        Assert.Null(resolved.AccountId);
        Assert.DoesNotContain(_emu.Requests, r => r.Token == account.Token);
    }

    [Fact]
    public async Task ResolveAsync_RemoteImageUrl_DownloadsAndUploadsIt()
    {
        var account = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [account.Token]);
        var url = new Uri(_emu.CdnBaseAddress, "output/elsewhere/picture.png").ToString();

        var resolved = await services.GetRequiredService<VisionInputResolver>().ResolveAsync(ImagePart(url), null, CancellationToken.None);

        var upload = Assert.Single(_emu.Uploads, u => u.OwnerToken == account.Token);
        Assert.Equal("image/png", upload.ContentType);
        Assert.Equal(upload.FileId, (string?)resolved.Files.Single()["id"]);
    }

    [Theory]
    [InlineData("https://127.0.0.1:9/secret.png")]
    [InlineData("https://localhost:9/secret.png")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://[::1]:9/secret.png")]
    public async Task ResolveAsync_InternalAddress_IsRefusedWithoutFetchingOrUploading(string url)
    {
        var account = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [account.Token], new Dictionary<string, string?> { ["Files:AllowPrivateNetworkDownloads"] = "false" });

        var ex = await Assert.ThrowsAsync<ApiException>(() => services.GetRequiredService<VisionInputResolver>().ResolveAsync(ImagePart(url), null, CancellationToken.None));

        Assert.Equal(HttpStatusCode.BadRequest, ex.Status);
        Assert.Equal("image_url_not_allowed", ex.Code);
        Assert.DoesNotContain(_emu.Requests, r => r.Token == account.Token);
    }

    [Fact]
    public async Task ResolveAsync_PlainHttpUrlInProduction_IsRefused()
    {
        var account = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [account.Token], new Dictionary<string, string?> { ["Files:AllowPrivateNetworkDownloads"] = "false" });

        var ex = await Assert.ThrowsAsync<ApiException>(() => services.GetRequiredService<VisionInputResolver>()
            .ResolveAsync(ImagePart(new Uri(_emu.CdnBaseAddress, "output/x/picture.png").ToString()), null, CancellationToken.None));

        Assert.Equal("invalid_image_url", ex.Code);
    }

    [Fact]
    public async Task ResolveAsync_SeedFilePartWithUploadedId_UsesTheOwningAccount()
    {
        var first = _emu.AddAccount();
        var second = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [first.Token, second.Token]);
        var uploaded = await services.GetRequiredService<FileUploadService>()
            .UploadAsync("notes.txt", "text/plain", ChunkedBuffer.From("hello"u8), QwenAccount.Fingerprint(second.Token), CancellationToken.None);
        var parts = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "Summarise" }, new JsonObject { ["type"] = "file", ["file"] = uploaded.FileId });

        var resolved = await services.GetRequiredService<VisionInputResolver>().ResolveAsync(parts, null, CancellationToken.None);

        Assert.Equal(QwenAccount.Fingerprint(second.Token), resolved.AccountId);
        var entry = Assert.Single(resolved.Files);
        Assert.Equal("file", (string?)entry["type"]);
        Assert.Equal("document", (string?)entry["file_class"]);
        Assert.Equal(uploaded.Url, (string?)entry["url"]);
    }

    [Fact]
    public async Task ResolveAsync_FileIdOfAnotherAccountThanTheConversation_Returns409()
    {
        var first = _emu.AddAccount();
        var second = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [first.Token, second.Token]);
        var uploaded = await services.GetRequiredService<FileUploadService>()
            .UploadAsync("cat.png", "image/png", ChunkedBuffer.From(MediaServices.Png), QwenAccount.Fingerprint(first.Token), CancellationToken.None);
        var parts = new JsonArray(new JsonObject { ["type"] = "image", ["image"] = uploaded.FileId });

        var ex = await Assert.ThrowsAsync<ApiException>(() => services.GetRequiredService<VisionInputResolver>()
            .ResolveAsync(parts, QwenAccount.Fingerprint(second.Token), CancellationToken.None));

        Assert.Equal(HttpStatusCode.Conflict, ex.Status);
        Assert.Equal("file_account_mismatch", ex.Code);
    }

    [Fact]
    public async Task ResolveAsync_DataUriInBoundConversation_UploadsOnTheConversationAccount()
    {
        var first = _emu.AddAccount();
        var second = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [first.Token, second.Token]);

        var resolved = await services.GetRequiredService<VisionInputResolver>()
            .ResolveAsync(ImagePart(DataUri([.. MediaServices.Png, 1])), QwenAccount.Fingerprint(second.Token), CancellationToken.None);

        Assert.Equal(QwenAccount.Fingerprint(second.Token), resolved.AccountId);
        Assert.Equal(second.Token, _emu.Uploads.Single(u => u.FileId == (string?)resolved.Files[0]["id"]).OwnerToken);
    }

    [Fact]
    public async Task ResolveAsync_ChatSeamWithAccount_UploadsOnThatAccountOnceAndPassesQwenUrlsThrough()
    {
        var first = _emu.AddAccount();
        var second = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [first.Token, second.Token]);
        var account = services.GetRequiredService<AccountPool>().Find(QwenAccount.Fingerprint(second.Token))!;
        var resolver = services.GetRequiredService<VisionInputResolver>();
        string[] images = [DataUri([.. MediaServices.Png, 2]), "https://cdn.qwenlm.ai/output/u/t2i/r/x.png?key=k"];

        var entries = await resolver.ResolveAsync(account, images, CancellationToken.None);
        var again = await resolver.ResolveAsync(account, images, CancellationToken.None);

        var upload = Assert.Single(_emu.Uploads, u => u.FileId == (string?)entries[0]["id"]);
        Assert.Equal(second.Token, upload.OwnerToken);
        Assert.Equal(images[1], (string?)entries[1]["url"]);
        Assert.Equal((string?)entries[0]["id"], (string?)again[0]["id"]);
        Assert.Single(_emu.Uploads, u => u.OwnerToken == second.Token);
    }

    [Fact]
    public async Task ResolveAsync_ChatSeamUpstreamRateLimited_PropagatesForTheCallersRunner()
    {
        var account = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [account.Token]);
        _emu.Faults.Enqueue(Fault.RateLimited(num: 2), account.Token, EmulatorEndpoint.StsToken);
        var qwenAccount = services.GetRequiredService<AccountPool>().Accounts.Single();

        var ex = await Assert.ThrowsAsync<QwenFunctions.Upstream.QwenUpstreamException>(() => services.GetRequiredService<VisionInputResolver>()
            .ResolveAsync(qwenAccount, [DataUri([.. MediaServices.Png, 3])], CancellationToken.None));

        Assert.Equal(QwenFunctions.Upstream.UpstreamErrorKind.RateLimited, ex.Kind);
    }
}
