using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace QwenFunctions.Tests.Emulator;

/// <summary>Files (§6.10: STS, OSS V1 PUT, parse) and images (§6.4 t2i stream, §6.7 chat-details fallback).</summary>
public sealed class QwenEmulatorFileTests(QwenEmulatorFixture fixture) : IClassFixture<QwenEmulatorFixture>
{
    private readonly QwenEmulator _emu = fixture.Emulator;

    [Fact]
    public async Task StsTokenV1_FilenameShape_ReturnsFlatCredentials()
    {
        var account = _emu.AddAccount();
        using var client = new QwenTestClient(_emu, account.Token);

        var sts = await client.PostJsonAsync("api/v1/files/getstsToken", new JsonObject { ["filename"] = "cat.png", ["filesize"] = 68, ["filetype"] = "image" });

        foreach (var field in new[] { "access_key_id", "access_key_secret", "security_token", "bucketname", "region", "endpoint", "file_id", "file_path", "file_url", "expiration" })
            Assert.False(string.IsNullOrEmpty(sts.GetProperty(field).GetString()), field);
        Assert.StartsWith($"{account.UserId}/", sts.GetProperty("file_path").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("_cat.png", sts.GetProperty("file_path").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StsTokenV2_FileNameShape_ReturnsDataWrappedCredentials()
    {
        using var client = new QwenTestClient(_emu, _emu.AddAccount().Token);

        var body = await client.PostJsonAsync("api/v2/files/getstsToken", new JsonObject { ["file_name"] = "doc.pdf", ["file_size"] = "1024", ["file_type"] = "document" });

        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal("qwen-webui-prod", body.GetProperty("data").GetProperty("bucketname").GetString());
    }

    [Fact]
    public async Task StsToken_WithoutFileType_ReturnsInvalidFileInformation()
    {
        using var client = new QwenTestClient(_emu, _emu.AddAccount().Token);

        var body = await client.PostJsonAsync("api/v2/files/getstsToken", new JsonObject { ["file_name"] = "x.bin", ["file_size"] = 1 });

        Assert.Equal("Bad_Request", body.GetProperty("data").GetProperty("code").GetString());
        Assert.Equal("Invalid file information!", body.GetProperty("data").GetProperty("details").GetString());
    }

    [Fact]
    public async Task OssPut_ValidV1Signature_StoresBytesServedAtFileUrl()
    {
        var account = _emu.AddAccount();
        using var client = new QwenTestClient(_emu, account.Token);
        var sts = (await client.PostJsonAsync("api/v2/files/getstsToken", new JsonObject { ["filename"] = "cat.png", ["filesize"] = 3, ["filetype"] = "image" })).GetProperty("data");
        var bytes = new byte[] { 1, 2, 3 };

        using var response = await client.Http.SendAsync(SignedPut(sts, bytes, "image/png", sts.GetProperty("access_key_secret").GetString()!));
        var served = await client.Http.GetByteArrayAsync(sts.GetProperty("file_url").GetString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = _emu.GetUpload(sts.GetProperty("file_path").GetString()!)!;
        Assert.Equal(bytes, stored.Content);
        Assert.Equal("image/png", stored.ContentType);
        Assert.Equal(account.Token, stored.OwnerToken);
        Assert.Equal(bytes, served);
    }

    [Fact]
    public async Task OssPut_WrongSecret_Returns403SignatureDoesNotMatchXml()
    {
        using var client = new QwenTestClient(_emu, _emu.AddAccount().Token);
        var sts = (await client.PostJsonAsync("api/v2/files/getstsToken", new JsonObject { ["filename"] = "cat.png", ["filesize"] = 3, ["filetype"] = "image" })).GetProperty("data");

        using var response = await client.Http.SendAsync(SignedPut(sts, [1, 2, 3], "image/png", "not-the-secret"));
        var xml = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", xml, StringComparison.Ordinal);
        Assert.DoesNotContain(_emu.Uploads, u => u.FileId == sts.GetProperty("file_id").GetString());
    }

    [Fact]
    public async Task Parse_ThenStatus_RunningThenSuccess()
    {
        using var client = new QwenTestClient(_emu, _emu.AddAccount().Token);
        var fileId = (await client.PostJsonAsync("api/v2/files/getstsToken", new JsonObject { ["filename"] = "a.pdf", ["filesize"] = 9, ["filetype"] = "document" }))
            .GetProperty("data").GetProperty("file_id").GetString()!;

        var parse = await client.PostJsonAsync("api/v2/files/parse", new JsonObject { ["file_id"] = fileId });
        var statusBody = new JsonObject { ["file_id_list"] = new JsonArray(fileId) };
        var first = await client.PostJsonAsync("api/v2/files/parse/status", statusBody);
        var second = await client.PostJsonAsync("api/v2/files/parse/status", statusBody.DeepClone().AsObject());

        Assert.True(parse.GetProperty("success").GetBoolean());
        Assert.Equal("running", first.GetProperty("data")[0].GetProperty("status").GetString());
        Assert.Equal("success", second.GetProperty("data")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task T2i_Stream_KeepAliveThenOneImageGenUrlPerImageThenFinished()
    {
        await using var emu = await QwenEmulator.StartAsync(new QwenEmulatorOptions { ImageCount = 2 });
        using var client = new QwenTestClient(emu, emu.AddAccount().Token);
        var chatId = await client.NewChatAsync();

        using var response = await client.SendCompletionAsync(chatId, QwenTestClient.CompletionBody(chatId, "a cat", chatType: "t2i", size: "16:9"));
        var events = await QwenTestClient.ReadEventsAsync(response);

        Assert.Equal("keep_alive", events[1].GetProperty("response.info").GetProperty("action").GetString());
        var images = QwenTestClient.Deltas(events, "image_gen").ToList();
        var urls = images.Where(d => d.GetProperty("status").GetString() == "typing").Select(d => d.GetProperty("content").GetString()!).ToList();
        Assert.Equal(2, urls.Count);
        Assert.All(urls, u => Assert.EndsWith(".png?key=emulated", u, StringComparison.Ordinal));
        Assert.Equal(2688, images[0].GetProperty("extra").GetProperty("output_image_hw")[0][1].GetInt32());
        Assert.Equal("finished", images[^1].GetProperty("status").GetString());
        Assert.Equal("image/png", (await client.Http.GetAsync(urls[0])).Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task T2i_WithoutUrlsInStream_ChatDetailsCarryTheImages()
    {
        await using var emu = await QwenEmulator.StartAsync(new QwenEmulatorOptions { ImageUrlsInStream = false });
        using var client = new QwenTestClient(emu, emu.AddAccount().Token);
        var chatId = await client.NewChatAsync();

        using var response = await client.SendCompletionAsync(chatId, QwenTestClient.CompletionBody(chatId, "a dog", chatType: "t2i"));
        var events = await QwenTestClient.ReadEventsAsync(response);
        var responseId = events[0].GetProperty("response.created").GetProperty("response_id").GetString()!;
        var details = await client.GetJsonAsync($"api/v2/chats/{chatId}");

        Assert.DoesNotContain(QwenTestClient.Deltas(events, "image_gen"), d => d.GetProperty("content").GetString() != "");
        var message = details.GetProperty("data").GetProperty("chat").GetProperty("history").GetProperty("messages").GetProperty(responseId);
        var entry = message.GetProperty("content_list")[0];
        Assert.Equal("image_gen", entry.GetProperty("phase").GetString());
        Assert.Equal(emu.GetChat(chatId)!.AssistantMessages[0].ImageUrls[0], entry.GetProperty("content").GetString());
    }

    [Fact]
    public async Task Completion_WithFiles_RecordsTheAttachedEntries()
    {
        using var client = new QwenTestClient(_emu, _emu.AddAccount().Token);
        var chatId = await client.NewChatAsync();
        var files = new JsonArray(new JsonObject
        {
            ["type"] = "image", ["name"] = "cat.png", ["file_type"] = "image/png", ["showType"] = "image",
            ["file_class"] = "vision", ["status"] = "uploaded", ["url"] = "http://127.0.0.1/oss/qwen-webui-prod/u/f_cat.png",
        });

        using var response = await client.SendCompletionAsync(chatId, QwenTestClient.CompletionBody(chatId, "what is this?", files: files));
        await QwenTestClient.ReadEventsAsync(response);

        var file = Assert.Single(_emu.GetChat(chatId)!.UserMessages[0].Files);
        Assert.Equal("vision", file.GetProperty("file_class").GetString());
        Assert.Equal(JsonValueKind.String, file.GetProperty("url").ValueKind);
    }

    /// <summary>An OSS V1 PUT as the app must send it (see the README above <see cref="QwenEmulator"/>).</summary>
    private HttpRequestMessage SignedPut(JsonElement sts, byte[] bytes, string contentType, string secret)
    {
        var bucket = sts.GetProperty("bucketname").GetString()!;
        var key = sts.GetProperty("file_path").GetString()!;
        var token = sts.GetProperty("security_token").GetString()!;
        var date = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
        var stringToSign = $"PUT\n\n{contentType}\n{date}\nx-oss-security-token:{token}\n/{bucket}/{key}";
        var signature = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(stringToSign)));
        var escapedKey = string.Join('/', key.Split('/').Select(Uri.EscapeDataString));
        var request = new HttpRequestMessage(HttpMethod.Put, $"{_emu.OssEndpoint}/{bucket}/{escapedKey}") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("Date", date);
        request.Headers.Add("x-oss-security-token", token);
        request.Headers.TryAddWithoutValidation("Authorization", $"OSS {sts.GetProperty("access_key_id").GetString()}:{signature}");
        return request;
    }
}
