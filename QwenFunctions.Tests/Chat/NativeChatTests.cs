using System.Net;
using System.Text.Json;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Chat;

/// <summary>Native POST /api/chat: seed-compatible fields and answers, conversation continuation, ProblemDetails errors.</summary>
public sealed class NativeChatTests
{
    [Fact]
    public async Task Chat_Message_ReturnsSeedShapeWithChatIdAndParentId()
    {
        await using var app = await EmulatedApp.StartAsync();

        var (response, body) = await app.PostJsonAsync("api/chat", new { message = "Capital of France?", model = "qwen3.6-plus" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var chat = app.Emulator.Chats.Single();
        var responseId = chat.AssistantMessages.Single().Id;
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        Assert.Equal(responseId, body.GetProperty("id").GetString());
        Assert.Equal(responseId, body.GetProperty("response_id").GetString());
        Assert.Equal(responseId, body.GetProperty("parentId").GetString());
        Assert.Equal(chat.Id, body.GetProperty("chatId").GetString());
        Assert.Equal("Echo: Capital of France?", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        var usage = body.GetProperty("usage");
        Assert.True(usage.GetProperty("input_tokens").GetInt32() > 0);
        Assert.True(usage.GetProperty("output_tokens").GetInt32() > 0);
        Assert.True(usage.GetProperty("total_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task Chat_SecondTurnWithChatIdAndParentId_ContinuesSameUpstreamChatOnSameAccount()
    {
        // Two accounts: round robin would give the second turn to the other account if the binding were ignored.
        await using var app = await EmulatedApp.StartAsync(accounts: 2);

        var (_, first) = await app.PostJsonAsync("api/chat", new { message = "My name is Ada." });
        var (second, body) = await app.PostJsonAsync("api/chat", new
        {
            message = "What is my name?",
            chatId = first.GetProperty("chatId").GetString(),
            parentId = first.GetProperty("parentId").GetString(),
        });

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var chat = Assert.Single(app.Emulator.Chats);
        Assert.Equal(chat.Id, body.GetProperty("chatId").GetString());
        Assert.Equal(2, chat.UserMessages.Count);
        Assert.Equal(first.GetProperty("parentId").GetString(), chat.UserMessages[1].ParentId);
        Assert.All(app.Completions(), r => Assert.Equal(chat.OwnerToken, r.Token));
        Assert.Equal("What is my name?", chat.UserMessages[1].Content);
    }

    [Fact]
    public async Task Chat_MessagesWithChatId_SendsOnlyTheLastUserMessage()
    {
        await using var app = await EmulatedApp.StartAsync();
        var (_, first) = await app.PostJsonAsync("api/chat", new { message = "one" });

        await app.PostJsonAsync("api/chat", new
        {
            messages = new[] { new { role = "user", content = "one" }, new { role = "assistant", content = "Echo: one" }, new { role = "user", content = "two" } },
            chatId = first.GetProperty("chatId").GetString(),
            parentId = first.GetProperty("parentId").GetString(),
        });

        Assert.Equal("two", app.Emulator.Chats.Single().UserMessages[1].Content);
    }

    [Fact]
    public async Task Chat_Stream_SendsChunksAndFinalEventWithChatIdAndParentId()
    {
        await using var app = await EmulatedApp.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        using var response = await app.PostAsync("api/chat", new { message = "stream it", stream = true }, cts.Token);
        using var sse = new SseClient(await response.Content.ReadAsStreamAsync(cts.Token));
        var items = await sse.ReadAllAsync(cts.Token);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("[DONE]", items[^1]);
        var final = SseClient.Json(items[^2]);
        var chat = app.Emulator.Chats.Single();
        Assert.Equal("stop", final.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(chat.Id, final.GetProperty("chatId").GetString());
        Assert.Equal(chat.AssistantMessages.Single().Id, final.GetProperty("parentId").GetString());
        Assert.True(final.GetProperty("usage").GetProperty("output_tokens").GetInt32() > 0);
        var text = string.Concat(items.Where(i => i.StartsWith('{')).Select(SseClient.Json)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta")).Select(d => d.TryGetProperty("content", out var c) ? c.GetString() : ""));
        Assert.Equal("Echo: stream it", text);
    }

    [Theory]
    [InlineData("t2x")]
    [InlineData("image")]
    public async Task Chat_UnsupportedChatType_Returns400ProblemDetails(string chatType)
    {
        await using var app = await EmulatedApp.StartAsync();

        var (response, body) = await app.PostJsonAsync("api/chat", new { message = "draw a cat", chatType });

        AssertProblem(response, body, "chatType");
        Assert.Empty(app.Emulator.Requests);
    }

    [Fact]
    public async Task Chat_NoMessage_Returns400ProblemDetails()
    {
        await using var app = await EmulatedApp.StartAsync();

        var (response, body) = await app.PostJsonAsync("api/chat", new { model = "qwen3.6-plus" });

        AssertProblem(response, body, "message");
    }

    [Fact]
    public async Task Chat_UnknownChatIdWithSeveralAccounts_Returns404ProblemDetails()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2);

        var (response, body) = await app.PostJsonAsync("api/chat", new { message = "hi", chatId = Guid.NewGuid().ToString() });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("conversation_not_found", body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Chat_UpstreamRefusesContent_ReturnsRealStatusAsProblemDetails()
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Faults.Enqueue(Emulator.Fault.DataInspectionFailed(), endpoint: Emulator.EmulatorEndpoint.TextCompletion);

        var (response, body) = await app.PostJsonAsync("api/chat", new { message = "something refused" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("content_filter", body.GetProperty("code").GetString());
        Assert.Single(app.Completions()); // content refusals are not retried on other accounts
    }

    [Fact]
    public async Task Chat_StreamCutMidAnswer_EndsWithInBandErrorAndNoDone()
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Faults.Enqueue(Emulator.Fault.CutAfter(1), endpoint: Emulator.EmulatorEndpoint.TextCompletion);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        using var response = await app.PostAsync("api/chat", new { message = "cut", stream = true }, cts.Token);
        using var sse = new SseClient(await response.Content.ReadAsStreamAsync(cts.Token));
        var items = await sse.ReadAllAsync(cts.Token);

        Assert.DoesNotContain("[DONE]", items);
        Assert.Equal("upstream_stream_interrupted", SseClient.Json(items[^1]).GetProperty("error").GetProperty("code").GetString());
    }

    private static void AssertProblem(HttpResponseMessage response, JsonElement body, string param)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(400, body.GetProperty("status").GetInt32());
        Assert.Equal(param, body.GetProperty("param").GetString());
        Assert.True(response.Headers.Contains("x-request-id"));
    }
}
