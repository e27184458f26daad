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

    private static QwenAccount AccountOf(ServiceProvider services, EmulatorAccount account) =>
        services.GetRequiredService<AccountPool>().Find(QwenAccount.Fingerprint(account.Token))!;

    private static Task<IReadOnlyList<JsonObject>> ResolveImageAsync(ServiceProvider services, EmulatorAccount account, string url) =>
        services.GetRequiredService<VisionInputResolver>().ResolveAsync(AccountOf(services, account), [url], CancellationToken.None);

    private static string DataUri(byte[] bytes) => "data:image/png;base64," + Convert.ToBase64String(bytes);

    [Fact]
    public async Task ResolveAsync_DataUri_UploadsOnceAndReturnsImageFileEntry()
    {
        var account = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [account.Token]);

        var first = await ResolveImageAsync(services, account, DataUri(MediaServices.Png));
        var second = await ResolveImageAsync(services, account, DataUri(MediaServices.Png));

        var entry = Assert.Single(first);
        Assert.Equal("image", (string?)entry["type"]);
        Assert.Equal("vision", (string?)entry["file_class"]);
        Assert.Equal("image/png", (string?)entry["file_type"]);
        Assert.Equal("uploaded", (string?)entry["status"]);
        var upload = Assert.Single(_emu.Uploads, u => u.OwnerToken == account.Token);
        Assert.Equal(MediaServices.Png, upload.Content);
        Assert.Equal(upload.FileId, (string?)entry["id"]);
        Assert.Equal((string?)entry["url"], (string?)second[0]["url"]);
    }

    [Fact]
    public async Task ResolveAsync_DataUriAboveCap_Returns413WithoutUploading()
    {
        var account = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [account.Token], new Dictionary<string, string?> { ["Files:MaxDownloadBytes"] = "1000" });

        var ex = await Assert.ThrowsAsync<ApiException>(() => ResolveImageAsync(services, account, DataUri(new byte[5000])));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, ex.Status);
        Assert.DoesNotContain(_emu.Requests, r => r.Token == account.Token);
    }

    [Fact]
    public async Task ResolveAsync_QwenStorageUrl_PassesThroughWithoutUpload()
    {
        var account = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [account.Token]);
        const string url = "https://cdn.qwenlm.ai/output/u1/t2i/r1/cat.png?key=abc";

        var resolved = await ResolveImageAsync(services, account, url);

        Assert.Equal(url, (string?)resolved.Single()["url"]);
        Assert.Equal("image", (string?)resolved.Single()["type"]);
        Assert.DoesNotContain(_emu.Requests, r => r.Token == account.Token);
    }

    [Fact]
    public async Task ResolveAsync_RemoteImageUrl_DownloadsAndUploadsIt()
    {
        var account = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [account.Token]);
        var url = new Uri(_emu.CdnBaseAddress, "output/elsewhere/picture.png").ToString();

        var resolved = await ResolveImageAsync(services, account, url);

        var upload = Assert.Single(_emu.Uploads, u => u.OwnerToken == account.Token);
        Assert.Equal("image/png", upload.ContentType);
        Assert.Equal(upload.FileId, (string?)resolved.Single()["id"]);
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

        var ex = await Assert.ThrowsAsync<ApiException>(() => ResolveImageAsync(services, account, url));

        Assert.Equal(HttpStatusCode.BadRequest, ex.Status);
        Assert.Equal("image_url_not_allowed", ex.Code);
        Assert.DoesNotContain(_emu.Requests, r => r.Token == account.Token);
    }

    [Fact]
    public async Task ResolveAsync_PlainHttpUrlInProduction_IsRefused()
    {
        var account = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [account.Token], new Dictionary<string, string?> { ["Files:AllowPrivateNetworkDownloads"] = "false" });

        var ex = await Assert.ThrowsAsync<ApiException>(() => ResolveImageAsync(services, account, new Uri(_emu.CdnBaseAddress, "output/x/picture.png").ToString()));

        Assert.Equal("invalid_image_url", ex.Code);
    }

    [Fact]
    public async Task ResolveFilesAsync_UploadedIdOnItsOwner_IsADocumentEntryWithoutAnotherUpload()
    {
        var first = _emu.AddAccount();
        var second = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [first.Token, second.Token]);
        var uploaded = await services.GetRequiredService<FileUploadService>()
            .UploadAsync("notes.txt", "text/plain", ChunkedBuffer.From("hello"u8), QwenAccount.Fingerprint(second.Token), CancellationToken.None);
        var uploads = _emu.Uploads.Count;

        var resolved = await services.GetRequiredService<VisionInputResolver>().ResolveFilesAsync(AccountOf(services, second), [uploaded.FileId], CancellationToken.None);

        Assert.Equal(uploads, _emu.Uploads.Count);
        var entry = Assert.Single(resolved);
        Assert.Equal("file", (string?)entry["type"]);
        Assert.Equal("document", (string?)entry["file_class"]);
        Assert.Equal(uploaded.Url, (string?)entry["url"]);
    }

    [Fact]
    public async Task ResolveAsync_FileIdOfAnotherAccountThanTheTurn_Returns409()
    {
        var first = _emu.AddAccount();
        var second = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [first.Token, second.Token]);
        var uploaded = await services.GetRequiredService<FileUploadService>()
            .UploadAsync("cat.png", "image/png", ChunkedBuffer.From(MediaServices.Png), QwenAccount.Fingerprint(first.Token), CancellationToken.None);
        var ex = await Assert.ThrowsAsync<ApiException>(() => ResolveImageAsync(services, second, uploaded.FileId));

        Assert.Equal(HttpStatusCode.Conflict, ex.Status);
        Assert.Equal("file_account_mismatch", ex.Code);
    }

    [Fact]
    public async Task ResolveAsync_DataUriOnTheTurnsAccount_UploadsThere()
    {
        var first = _emu.AddAccount();
        var second = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [first.Token, second.Token]);

        var resolved = await ResolveImageAsync(services, second, DataUri([.. MediaServices.Png, 1]));

        Assert.Equal(second.Token, _emu.Uploads.Single(u => u.FileId == (string?)resolved[0]["id"]).OwnerToken);
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
