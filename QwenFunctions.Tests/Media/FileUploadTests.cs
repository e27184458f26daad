using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using QwenFunctions.Accounts;
using QwenFunctions.Files;
using QwenFunctions.Http;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Upstream;

namespace QwenFunctions.Tests.Media;

public sealed class FileUploadTests(QwenEmulatorFixture fixture) : IClassFixture<QwenEmulatorFixture>
{
    private readonly QwenEmulator _emu = fixture.Emulator;

    [Fact]
    public async Task UploadAsync_Image_StoresSignedObjectAndAnswersLikeTheSeed()
    {
        var account = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [account.Token]);
        var http = MediaServices.MultipartContext(services, "cat.png", "image/png", MediaServices.Png);

        var result = await ActivatorUtilities.CreateInstance<FileFunctions>(services).UploadAsync(http.Request, CancellationToken.None);
        var body = JsonDocument.Parse(await MediaServices.ExecuteAsync(result, http)).RootElement;

        Assert.True(body.GetProperty("success").GetBoolean());
        var file = body.GetProperty("file");
        Assert.Equal("cat.png", file.GetProperty("name").GetString());
        Assert.Equal("image/png", file.GetProperty("type").GetString());
        Assert.Equal(MediaServices.Png.Length, file.GetProperty("size").GetInt64());
        var fileId = file.GetProperty("fileId").GetString()!;
        var stored = _emu.Uploads.Single(u => u.FileId == fileId);
        Assert.Equal(MediaServices.Png, stored.Content);
        Assert.Equal(account.Token, stored.OwnerToken);
        Assert.StartsWith(_emu.OssEndpoint.ToString(), file.GetProperty("url").GetString());
        Assert.DoesNotContain(_emu.Requests, r => r.Path.Contains("/files/parse", StringComparison.Ordinal) && r.Token == account.Token);
    }

    [Fact]
    public async Task UploadAsync_Document_StartsParseAndPollsUntilSuccess()
    {
        var account = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [account.Token]);
        var http = MediaServices.MultipartContext(services, "notes.pdf", "application/pdf", "%PDF-1.4 test"u8.ToArray());

        await ActivatorUtilities.CreateInstance<FileFunctions>(services).UploadAsync(http.Request, CancellationToken.None);

        var mine = _emu.Requests.Where(r => r.Token == account.Token).Select(r => r.Path).ToList();
        Assert.Contains("/api/v2/files/parse", mine);
        Assert.True(mine.Count(p => p == "/api/v2/files/parse/status") >= 2, "polls until the status turns to success");
    }

    [Fact]
    public async Task UploadAsync_UploadedFile_IsBoundToTheUploadingAccount()
    {
        var first = _emu.AddAccount();
        var second = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [first.Token, second.Token]);

        var ids = new List<(string FileId, string Owner)>();
        for (var i = 0; i < 2; i++)
        {
            var http = MediaServices.MultipartContext(services, $"doc{i}.txt", "text/plain", "hello"u8.ToArray());
            var body = JsonDocument.Parse(await MediaServices.ExecuteAsync(await ActivatorUtilities.CreateInstance<FileFunctions>(services).UploadAsync(http.Request, CancellationToken.None), http)).RootElement;
            var fileId = body.GetProperty("file").GetProperty("fileId").GetString()!;
            ids.Add((fileId, _emu.Uploads.Single(u => u.FileId == fileId).OwnerToken));
        }

        var bindings = services.GetRequiredService<IAccountBindingStore>();
        foreach (var (fileId, owner) in ids)
        {
            Assert.Equal(QwenAccount.Fingerprint(owner), await bindings.FindAccountAsync(BindingKind.File, fileId, CancellationToken.None));
        }
    }

    [Fact]
    public async Task UploadAsync_ContentLengthAboveLimit_Returns413WithoutReadingTheBody()
    {
        var account = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [account.Token], new Dictionary<string, string?> { ["Files:MaxUploadBytes"] = "1024" });
        var http = MediaServices.MultipartContext(services, "big.png", "image/png", new byte[4096]);
        var body = new TrackingStream(new byte[10], throwOnRead: true);
        http.Request.Body = body;
        http.Request.ContentLength = 100_000;

        var ex = await Assert.ThrowsAsync<ApiException>(() => ActivatorUtilities.CreateInstance<FileFunctions>(services).UploadAsync(http.Request, CancellationToken.None));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, ex.Status);
        Assert.Contains("1024", ex.Message);
        Assert.Equal(0, body.BytesRead);
        Assert.DoesNotContain(_emu.Requests, r => r.Token == account.Token);
    }

    [Fact]
    public async Task UploadAsync_UnannouncedBodyPastLimit_Stops413BeforeTheEndOfTheBody()
    {
        var account = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [account.Token], new Dictionary<string, string?> { ["Files:MaxUploadBytes"] = "65536" });
        var (bytes, boundary) = MediaServices.MultipartBody("big.png", "image/png", new byte[1024 * 1024]);
        var http = MediaServices.MultipartContext(services, "big.png", "image/png", [], sendContentLength: false);
        http.Request.ContentType = $"multipart/form-data; boundary={boundary}";
        var body = new TrackingStream(bytes);
        http.Request.Body = body;

        var ex = await Assert.ThrowsAsync<ApiException>(() => ActivatorUtilities.CreateInstance<FileFunctions>(services).UploadAsync(http.Request, CancellationToken.None));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, ex.Status);
        Assert.True(body.BytesRead < bytes.Length / 4, $"read {body.BytesRead} of {bytes.Length} bytes");
        Assert.DoesNotContain(_emu.Requests, r => r.Token == account.Token);
    }

    [Theory]
    [InlineData("other", "cat.png", "image/png", 10, "missing_file")]
    [InlineData("file", "empty.png", "image/png", 0, "empty_file")]
    [InlineData("file", "tool.exe", "application/x-msdownload", 10, "unsupported_file_type")]
    public async Task UploadAsync_BadForm_Returns400AndSendsNothingUpstream(string field, string name, string type, int size, string code)
    {
        var account = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [account.Token]);
        var http = MediaServices.MultipartContext(services, name, type, new byte[size], field);

        var ex = await Assert.ThrowsAsync<ApiException>(() => ActivatorUtilities.CreateInstance<FileFunctions>(services).UploadAsync(http.Request, CancellationToken.None));

        Assert.Equal(HttpStatusCode.BadRequest, ex.Status);
        Assert.Equal(code, ex.Code);
        Assert.DoesNotContain(_emu.Requests, r => r.Token == account.Token);
    }

    [Fact]
    public async Task UploadAsync_ConfiguredTypeList_ReplacesTheDefaults()
    {
        var account = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [account.Token], new Dictionary<string, string?> { ["Files:AllowedContentTypes"] = "application/pdf" });
        var http = MediaServices.MultipartContext(services, "cat.png", "image/png", MediaServices.Png);

        var ex = await Assert.ThrowsAsync<ApiException>(() => ActivatorUtilities.CreateInstance<FileFunctions>(services).UploadAsync(http.Request, CancellationToken.None));

        Assert.Equal("unsupported_file_type", ex.Code);
    }

    [Fact]
    public async Task GetStsTokenAsync_SeedBody_PassesUpstreamAnswerThroughAndBindsTheFile()
    {
        var account = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [account.Token]);
        var http = MediaServices.JsonContext(services, """{"filename":"cat.png","filesize":68,"filetype":"image"}""");

        var result = await ActivatorUtilities.CreateInstance<FileFunctions>(services).GetStsTokenAsync(http.Request, CancellationToken.None);
        var body = JsonDocument.Parse(await MediaServices.ExecuteAsync(result, http)).RootElement;

        Assert.True(body.GetProperty("success").GetBoolean());
        var fileId = body.GetProperty("data").GetProperty("file_id").GetString()!;
        Assert.Equal(account.Token, _emu.Requests.Last(r => r.Path == "/api/v2/files/getstsToken").Token);
        Assert.Equal(QwenAccount.Fingerprint(account.Token),
            await services.GetRequiredService<IAccountBindingStore>().FindAccountAsync(BindingKind.File, fileId, CancellationToken.None));
    }

    [Fact]
    public async Task GetStsTokenAsync_MissingFields_Returns400()
    {
        var account = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [account.Token]);
        var http = MediaServices.JsonContext(services, """{"filename":"cat.png"}""");

        var ex = await Assert.ThrowsAsync<ApiException>(() => ActivatorUtilities.CreateInstance<FileFunctions>(services).GetStsTokenAsync(http.Request, CancellationToken.None));

        Assert.Equal(HttpStatusCode.BadRequest, ex.Status);
    }

    [Fact]
    public async Task PutAsync_WrongSecret_IsRejectedBySignatureCheck()
    {
        var account = _emu.AddAccount();
        await using var services = MediaServices.Create(_emu, [account.Token]);
        var qwenAccount = services.GetRequiredService<AccountPool>().Accounts.Single();
        var grant = await services.GetRequiredService<QwenApiClient>().GetStsTokenAsync(qwenAccount, "cat.png", MediaServices.Png.Length, "image", CancellationToken.None);

        var ex = await Assert.ThrowsAsync<QwenUpstreamException>(() => services.GetRequiredService<OssUploader>()
            .PutAsync(grant with { AccessKeySecret = "not-the-secret" }, ChunkedBuffer.From(MediaServices.Png), "image/png", CancellationToken.None));

        Assert.Equal("SignatureDoesNotMatch", ex.UpstreamCode);
        Assert.Equal(403, ex.UpstreamStatus);
        Assert.DoesNotContain(_emu.Uploads, u => u.FileId == grant.FileId);
    }
}
