using System.Net;
using System.Net.Http.Headers;
using System.Text;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Chat;

/// <summary>Uploaded files belong to the account that uploaded them; chats that use them run there.</summary>
public sealed class ChatFileInputTests
{
    [Fact]
    public async Task Chat_SeedFilePartWithUploadedId_RunsOnTheUploadingAccountAndAttachesTheFile()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 3);
        var fileId = await UploadAsync(app, "notes.txt", "text/plain", "meeting notes");
        var uploader = app.Emulator.Uploads.Single().OwnerToken;

        for (var i = 0; i < 3; i++)
        {
            var (response, _) = await app.PostJsonAsync("api/chat", new
            {
                message = new object[] { new { type = "text", text = "summarise" }, new { type = "file", file = fileId } },
            });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.All(app.Completions(), r => Assert.Equal(uploader, r.Token));
        Assert.All(app.Emulator.Chats, c => Assert.Contains(fileId, c.UserMessages.Single().Files.Single().ToString()));
    }

    [Fact]
    public async Task Chat_OpenAIFilePartWithUploadedId_IsAttached()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        var fileId = await UploadAsync(app, "notes.txt", "text/plain", "meeting notes");

        var (response, _) = await app.PostJsonAsync("api/v1/chat/completions", new
        {
            messages = new[] { new { role = "user", content = new object[] { new { type = "text", text = "summarise" }, new { type = "file", file = new { file_id = fileId } } } } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(app.Emulator.Uploads.Single().OwnerToken, app.Completions().Single().Token);
        Assert.Single(app.Emulator.Chats.Single().UserMessages.Single().Files);
    }

    [Fact]
    public async Task Chat_ConversationOnOneAccountWithFileOfAnother_Answers409()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        var fileId = await UploadAsync(app, "notes.txt", "text/plain", "meeting notes");
        var uploader = app.Emulator.Uploads.Single().OwnerToken;
        string chatId;
        do
        {
            var (_, first) = await app.PostJsonAsync("api/chat", new { message = "hello" });
            chatId = first.GetProperty("chatId").GetString()!;
        }
        while (app.Emulator.GetChat(chatId)!.OwnerToken == uploader);

        var (response, body) = await app.PostJsonAsync("api/chat", new
        {
            chatId,
            message = new object[] { new { type = "text", text = "and this?" }, new { type = "file", file = fileId } },
        });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("file_account_mismatch", body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Chat_UnknownFileId_Answers400WithoutCallingUpstreamChat()
    {
        await using var app = await EmulatedApp.StartAsync();

        var (response, body) = await app.PostJsonAsync("api/chat", new
        {
            message = new object[] { new { type = "text", text = "read" }, new { type = "file", file = "no-such-file" } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("file_not_found", body.GetProperty("code").GetString());
        Assert.Empty(app.Completions());
    }

    [Fact]
    public async Task Chat_FileIdAfterTheLocalUploadCacheExpired_IsStillAttached()
    {
        // The id lives as long as its binding (30 days), not as long as this instance's upload cache.
        await using var app = await EmulatedApp.StartAsync(accounts: 2, s => s["Files:VisionCacheLifetime"] = "00:00:00.001");
        var fileId = await UploadAsync(app, "notes.txt", "text/plain", "meeting notes");
        await Task.Delay(50);

        var (response, _) = await app.PostJsonAsync("api/chat", new
        {
            message = new object[] { new { type = "text", text = "summarise" }, new { type = "file", file = fileId } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(app.Emulator.Uploads.Single().OwnerToken, app.Completions().Single().Token);
        Assert.Contains(fileId, app.Emulator.Chats.Single().UserMessages.Single().Files.Single().ToString());
    }

    private static async Task<string> UploadAsync(EmulatedApp app, string name, string type, string text)
    {
        using var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        form.Add(content, "file", name);
        var response = await app.Http.PostAsync("api/files/upload", form);
        var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return body.GetProperty("file").GetProperty("fileId").GetString()!;
    }
}
