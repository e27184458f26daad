using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using QwenFunctions.Tests.Hosting;
using QwenFunctions.Tests.Media;

namespace QwenFunctions.Tests.Chat;

/// <summary>Chats and uploaded files belong to the API key that made them: another key gets the answer of an unknown id.</summary>
public sealed class CallerIsolationTests
{
    private const string Owner = "sk-chat-owner";
    private const string Other = "sk-chat-other";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Chat_AnotherKeysChatId_AnswersLikeAnUnknownChatAndSendsNothingUpstream(int accounts)
    {
        await using var app = await EmulatedApp.StartAsync(accounts, s => s["API_KEYS"] = $"{Owner},{Other}");
        var (_, first) = await PostAsync(app, Owner, "api/chat", new { message = "My name is Ada." });
        var chatId = first.GetProperty("chatId").GetString()!;
        var parentId = first.GetProperty("parentId").GetString()!;
        var before = app.Completions().Count;

        var (theirs, theirBody) = await PostAsync(app, Other, "api/chat", new { message = "What is my name?", chatId, parentId });
        var (unknown, unknownBody) = await PostAsync(app, Other, "api/chat", new { message = "What is my name?", chatId = Guid.NewGuid().ToString(), parentId });
        var (mine, _) = await PostAsync(app, Owner, "api/chat", new { message = "What is my name?", chatId, parentId });

        Assert.Equal(HttpStatusCode.NotFound, theirs);
        Assert.Equal(unknown, theirs);
        Assert.Equal(unknownBody.GetProperty("code").GetString(), theirBody.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, mine);
        Assert.Equal(before + 1, app.Completions().Count);
    }

    [Fact]
    public async Task Chat_AnotherKeysFileId_AnswersLikeAnUnknownFile()
    {
        await using var app = await EmulatedApp.StartAsync(1, s => s["API_KEYS"] = $"{Owner},{Other}");
        var (body, boundary) = MediaServices.MultipartBody("notes.txt", "text/plain", Encoding.UTF8.GetBytes("The code word is kite."));
        using var upload = new HttpRequestMessage(HttpMethod.Post, "api/files/upload") { Content = new ByteArrayContent(body) };
        upload.Content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={boundary}");
        upload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Owner);
        using var uploaded = await app.Http.SendAsync(upload);
        var fileId = JsonDocument.Parse(await uploaded.Content.ReadAsStringAsync()).RootElement.GetProperty("file").GetProperty("fileId").GetString()!;

        object Message(string id) => new { message = new object[] { new { type = "text", text = "What is the code word?" }, new { type = "file", file = id } } };
        var (theirs, theirBody) = await PostAsync(app, Other, "api/chat", Message(fileId));
        var (unknown, unknownBody) = await PostAsync(app, Other, "api/chat", Message(Guid.NewGuid().ToString()));
        var (mine, _) = await PostAsync(app, Owner, "api/chat", Message(fileId));

        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        Assert.Equal(unknown, theirs);
        Assert.Equal(unknownBody.GetProperty("code").GetString(), theirBody.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, mine);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ChatCompletions_AnotherKeyReplaysTheSameHistory_IsFoldedIntoItsOwnChatNotContinued(bool streaming)
    {
        await using var app = await EmulatedApp.StartAsync(1, s => s["API_KEYS"] = $"{Owner},{Other}");
        object[] opening = [new { role = "user", content = "My name is Ada." }];
        var (status, first) = await PostAsync(app, Owner, "api/v1/chat/completions", new { model = "qwen3.6-plus", messages = opening });
        var answer = first.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        var original = Assert.Single(app.Emulator.Chats);
        object[] replayed = [.. opening, new { role = "assistant", content = answer }, new { role = "user", content = "What is my name?" }];

        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/chat/completions")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { model = "qwen3.6-plus", messages = replayed, stream = streaming }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Other);
        using var theirs = await app.Http.SendAsync(request);
        await theirs.Content.ReadAsStringAsync();
        var (mine, _) = await PostAsync(app, Owner, "api/v1/chat/completions", new { model = "qwen3.6-plus", messages = replayed });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, theirs.StatusCode);
        Assert.Equal(HttpStatusCode.OK, mine);
        Assert.Single(original.UserMessages, m => m.Content.EndsWith("What is my name?")); // only the owner's turn continued it
        var folded = Assert.Single(app.Emulator.Chats[1].UserMessages).Content;
        Assert.Contains("<conversation-history>", folded);
        Assert.Equal(2, app.Emulator.Chats.Count);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(EmulatedApp app, string key, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = System.Net.Http.Json.JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await app.Http.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
