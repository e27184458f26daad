using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace QwenFunctions.Tests.Emulator;

/// <summary>Chat core: chats/new, completions stream, validation, ownership, continuation, models, stop, recording.</summary>
public sealed class QwenEmulatorChatTests(QwenEmulatorFixture fixture) : IClassFixture<QwenEmulatorFixture>
{
    private readonly QwenEmulator _emu = fixture.Emulator;

    [Fact]
    public async Task ChatsNew_KnownBearerToken_ReturnsChatBoundToAccount()
    {
        var account = _emu.AddAccount();
        using var client = new QwenTestClient(_emu, account.Token);

        var body = await client.PostJsonAsync("api/v2/chats/new", new JsonObject { ["models"] = new JsonArray("qwen3.6-plus") });

        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("request_id").GetString()));
        var chatId = body.GetProperty("data").GetProperty("id").GetString()!;
        Assert.Equal(account.Token, _emu.GetChat(chatId)!.OwnerToken);
    }

    [Fact]
    public async Task ChatsNew_CookieToken_IsAccepted()
    {
        var account = _emu.AddAccount();
        using var client = new QwenTestClient(_emu, account.Token, asCookie: true);

        var chatId = await client.NewChatAsync();

        Assert.Equal(account.Token, _emu.GetChat(chatId)!.OwnerToken);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ChatsNew_UnknownOrRevokedToken_ReturnsUnauthorizedEnvelopeWithActual401(bool revoked)
    {
        var token = revoked ? _emu.AddAccount().Token : "never-issued";
        if (revoked) _emu.Revoke(token);
        using var client = new QwenTestClient(_emu, token);

        using var response = await client.Http.PostAsync("api/v2/chats/new", new StringContent("{}", Encoding.UTF8, "application/json"));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("401", response.Headers.GetValues("x-actual-status-code").Single());
        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Equal("Unauthorized", body.GetProperty("data").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Completion_TextPrompt_StreamsCreatedAnswerDeltasAndFinishedWithoutDone()
    {
        using var client = new QwenTestClient(_emu, _emu.AddAccount().Token);
        var chatId = await client.NewChatAsync();

        using var response = await client.SendCompletionAsync(chatId, QwenTestClient.CompletionBody(chatId, "What is 17*19?"));
        var events = await QwenTestClient.ReadEventsAsync(response);

        Assert.Equal("text/event-stream; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var created = events[0].GetProperty("response.created");
        Assert.Equal(chatId, created.GetProperty("chat_id").GetString());
        Assert.Equal(_emu.GetChat(chatId)!.UserMessages[0].Id, created.GetProperty("parent_id").GetString());
        Assert.True(QwenTestClient.Deltas(events, "answer").Count(d => d.GetProperty("status").GetString() == "typing") >= 3);
        Assert.Equal("Echo: What is 17*19?", QwenTestClient.AnswerText(events));
        var last = events[^1].GetProperty("choices")[0].GetProperty("delta");
        Assert.Equal("finished", last.GetProperty("status").GetString());
        Assert.Equal("answer", last.GetProperty("phase").GetString());
        Assert.DoesNotContain(events, e => e.ValueKind == JsonValueKind.String);
    }

    [Fact]
    public async Task Completion_FirstEventLine_EndsWithTrailingSpace()
    {
        using var client = new QwenTestClient(_emu, _emu.AddAccount().Token);
        var chatId = await client.NewChatAsync();

        using var response = await client.SendCompletionAsync(chatId, QwenTestClient.CompletionBody(chatId, "hi"));
        var raw = await response.Content.ReadAsStringAsync();

        Assert.StartsWith("data: {\"response.created\"", raw, StringComparison.Ordinal);
        Assert.EndsWith("} ", raw.Split("\n\n")[0], StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completion_ThinkingEnabled_SendsCumulativeSummariesThenFinishedBeforeAnswer()
    {
        using var client = new QwenTestClient(_emu, _emu.AddAccount().Token);
        var chatId = await client.NewChatAsync();

        var events = await client.CompleteAsync(chatId, "Think about it", thinking: true);

        var summaries = QwenTestClient.Deltas(events, "thinking_summary").ToList();
        var typing = summaries.Where(d => d.GetProperty("status").GetString() == "typing").ToList();
        Assert.True(typing.Count >= 2);
        var first = typing[0].GetProperty("extra").GetProperty("summary_thought").GetProperty("content");
        var second = typing[1].GetProperty("extra").GetProperty("summary_thought").GetProperty("content");
        Assert.Equal(first.GetArrayLength() + 1, second.GetArrayLength());
        Assert.Equal(first[0].GetString(), second[0].GetString());
        Assert.Equal("", typing[0].GetProperty("content").GetString());
        Assert.Equal("finished", summaries[^1].GetProperty("status").GetString());
        var phases = QwenTestClient.Deltas(events, "thinking_summary").Concat(QwenTestClient.Deltas(events, "answer")).Count();
        Assert.Equal(events.Count - 1, phases);
        Assert.Equal("Echo: Think about it", QwenTestClient.AnswerText(events));
    }

    [Fact]
    public async Task Completion_AnswerDeltas_CarryGrowingUsage()
    {
        using var client = new QwenTestClient(_emu, _emu.AddAccount().Token);
        var chatId = await client.NewChatAsync();

        var events = await client.CompleteAsync(chatId, "Count the tokens of this prompt please", thinking: true);

        var usages = events.Where(e => e.TryGetProperty("usage", out _) && e.GetProperty("choices")[0].GetProperty("delta").GetProperty("phase").GetString() == "answer")
            .Select(e => e.GetProperty("usage")).ToList();
        Assert.True(usages.Count >= 3);
        var outputs = usages.Select(u => u.GetProperty("output_tokens").GetInt32()).ToList();
        Assert.Equal(outputs.OrderBy(o => o), outputs);
        Assert.True(outputs[^1] > outputs[0]);
        var final = usages[^1];
        Assert.Equal(final.GetProperty("input_tokens").GetInt32() + final.GetProperty("output_tokens").GetInt32(), final.GetProperty("total_tokens").GetInt32());
        Assert.True(final.GetProperty("output_tokens_details").GetProperty("reasoning_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task Completion_ChatOfAnotherAccount_ReturnsChatNotFound()
    {
        using var owner = new QwenTestClient(_emu, _emu.AddAccount().Token);
        using var intruder = new QwenTestClient(_emu, _emu.AddAccount().Token);
        var chatId = await owner.NewChatAsync();

        var body = await ErrorBodyAsync(intruder, chatId, QwenTestClient.CompletionBody(chatId, "hi"));

        Assert.Equal("CHAT_NOT_FOUND", body.GetProperty("data").GetProperty("code").GetString());
        Assert.Contains("is not exist", body.GetProperty("data").GetProperty("details").GetString(), StringComparison.Ordinal);
        Assert.Empty(_emu.GetChat(chatId)!.Messages);
    }

    [Fact]
    public async Task Completion_UnknownChat_ReturnsChatNotFound()
    {
        using var client = new QwenTestClient(_emu, _emu.AddAccount().Token);
        var chatId = Guid.NewGuid().ToString();

        var body = await ErrorBodyAsync(client, chatId, QwenTestClient.CompletionBody(chatId, "hi"));

        Assert.Equal("CHAT_NOT_FOUND", body.GetProperty("data").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Completion_BodyWithoutLowerCaseChatId_ReturnsRequestValidationError()
    {
        using var client = new QwenTestClient(_emu, _emu.AddAccount().Token);
        var chatId = await client.NewChatAsync();
        var request = QwenTestClient.CompletionBody(chatId, "hi");
        request.Remove("chat_id");
        request["chatId"] = chatId;

        var body = await ErrorBodyAsync(client, chatId, request);

        Assert.Equal("RequestValidationError", body.GetProperty("data").GetProperty("code").GetString());
        Assert.Equal("Field 'chat_id': Field required", body.GetProperty("data").GetProperty("details").GetString());
    }

    [Fact]
    public async Task Completion_StreamFalseForText_ReturnsBadRequest()
    {
        using var client = new QwenTestClient(_emu, _emu.AddAccount().Token);
        var chatId = await client.NewChatAsync();

        var body = await ErrorBodyAsync(client, chatId, QwenTestClient.CompletionBody(chatId, "hi", stream: false));

        Assert.Equal("Bad_Request", body.GetProperty("data").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Completion_TwoMessages_ReturnsBadRequest()
    {
        using var client = new QwenTestClient(_emu, _emu.AddAccount().Token);
        var chatId = await client.NewChatAsync();
        var request = QwenTestClient.CompletionBody(chatId, "hi");
        request["messages"]!.AsArray().Add(request["messages"]![0]!.DeepClone());

        var body = await ErrorBodyAsync(client, chatId, request);

        Assert.Equal("Bad_Request", body.GetProperty("data").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Completion_MissingVersionHeaderWithStrictHeaders_ReturnsBadRequest()
    {
        using var client = new QwenTestClient(_emu, _emu.AddAccount().Token);
        var chatId = await client.NewChatAsync();
        client.Http.DefaultRequestHeaders.Remove("version");

        var body = await ErrorBodyAsync(client, chatId, QwenTestClient.CompletionBody(chatId, "hi"));

        Assert.Equal("Bad_Request", body.GetProperty("data").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Completion_WhileChatIsStreaming_ReturnsChatInProgress()
    {
        var account = _emu.AddAccount();
        using var client = new QwenTestClient(_emu, account.Token);
        var chatId = await client.NewChatAsync();
        var gate = _emu.PauseAfterFirstAnswerDelta(account.Token);
        using var first = await client.SendCompletionAsync(chatId, QwenTestClient.CompletionBody(chatId, "one"));
        await gate.FirstDeltaSent;

        var second = await ErrorBodyAsync(client, chatId, QwenTestClient.CompletionBody(chatId, "two"));
        gate.Release();
        var firstEvents = await QwenTestClient.ReadEventsAsync(first);

        Assert.Equal("CHAT_IN_PROGRESS", second.GetProperty("data").GetProperty("code").GetString());
        Assert.Equal("Echo: one", QwenTestClient.AnswerText(firstEvents));
    }

    [Fact]
    public async Task StreamGate_FirstDeltaReachesClientBeforeRelease()
    {
        var account = _emu.AddAccount();
        using var client = new QwenTestClient(_emu, account.Token);
        var chatId = await client.NewChatAsync();
        var gate = _emu.PauseAfterFirstAnswerDelta(account.Token);
        using var response = await client.SendCompletionAsync(chatId, QwenTestClient.CompletionBody(chatId, "streaming is real"));
        await using var stream = await response.Content.ReadAsStreamAsync();
        await using var events = System.Net.ServerSentEvents.SseParser.Create(stream).EnumerateAsync().GetAsyncEnumerator();

        await events.MoveNextAsync(); // response.created
        await events.MoveNextAsync(); // first answer delta, while the emulator is still holding the rest
        var firstDelta = JsonDocument.Parse(events.Current.Data).RootElement.GetProperty("choices")[0].GetProperty("delta");
        var finishedBeforeRelease = _emu.GetChat(chatId)!.AssistantMessages[0].Done;
        gate.Release();
        while (await events.MoveNextAsync()) { }

        Assert.Equal("answer", firstDelta.GetProperty("phase").GetString());
        Assert.False(finishedBeforeRelease);
        Assert.True(_emu.GetChat(chatId)!.AssistantMessages[0].Done);
    }

    [Fact]
    public async Task Completion_ParentIdOfPreviousResponse_ContinuesThreadInSameChat()
    {
        var account = _emu.AddAccount();
        using var client = new QwenTestClient(_emu, account.Token);
        var chatId = await client.NewChatAsync();
        var first = await client.CompleteAsync(chatId, "first");
        var responseId = first[0].GetProperty("response.created").GetProperty("response_id").GetString()!;

        var second = await client.CompleteAsync(chatId, "second", parentId: responseId);

        var chat = _emu.GetChat(chatId)!;
        Assert.Equal("Echo: second", QwenTestClient.AnswerText(second));
        Assert.Equal(["first", "second"], chat.UserMessages.Select(m => m.Content));
        Assert.Equal(responseId, chat.UserMessages[1].ParentId);
        Assert.Equal(account.Token, chat.OwnerToken);
    }

    [Fact]
    public async Task Completion_UnknownParentId_ReturnsErrorEnvelope()
    {
        using var client = new QwenTestClient(_emu, _emu.AddAccount().Token);
        var chatId = await client.NewChatAsync();

        var body = await ErrorBodyAsync(client, chatId, QwenTestClient.CompletionBody(chatId, "hi", parentId: Guid.NewGuid().ToString()));

        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Contains("is not exist", body.GetProperty("data").GetProperty("details").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completion_AnswerOverrides_PerAccountWinsOverGlobal()
    {
        await using var emu = await QwenEmulator.StartAsync();
        emu.Answer = ctx => $"global:{ctx.Prompt}:{ctx.Turn}";
        var special = emu.AddAccount();
        special.Answer = _ => "per-account answer";
        using var plain = new QwenTestClient(emu, emu.AddAccount().Token);
        using var custom = new QwenTestClient(emu, special.Token);

        var plainEvents = await plain.CompleteAsync(await plain.NewChatAsync(), "x");
        var customEvents = await custom.CompleteAsync(await custom.NewChatAsync(), "x");

        Assert.Equal("global:x:1", QwenTestClient.AnswerText(plainEvents));
        Assert.Equal("per-account answer", QwenTestClient.AnswerText(customEvents));
    }

    [Fact]
    public async Task Completion_SendDoneMarkerOption_AppendsDone()
    {
        await using var emu = await QwenEmulator.StartAsync(new QwenEmulatorOptions { SendDoneMarker = true });
        using var client = new QwenTestClient(emu, emu.AddAccount().Token);

        var events = await client.CompleteAsync(await client.NewChatAsync(), "x");

        Assert.Equal("[DONE]", events[^1].GetString());
    }

    [Fact]
    public async Task Models_WithoutToken_ListsModelsWithCapabilitiesAndChatTypes()
    {
        using var http = new HttpClient { BaseAddress = _emu.BaseAddress };

        var body = JsonDocument.Parse(await http.GetStringAsync("api/models")).RootElement;

        Assert.False(body.TryGetProperty("success", out _));
        var model = body.GetProperty("data")[0];
        Assert.Equal("qwen3.6-plus", model.GetProperty("id").GetString());
        var meta = model.GetProperty("info").GetProperty("meta");
        Assert.True(meta.GetProperty("capabilities").GetProperty("thinking").GetBoolean());
        Assert.Contains("t2v", meta.GetProperty("chat_type").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(3, meta.GetProperty("abilities").GetProperty("thinking").GetInt32());
    }

    [Fact]
    public async Task ModelsV2_ReturnsSuccessEnvelopeWrappingList()
    {
        using var client = new QwenTestClient(_emu, _emu.AddAccount().Token);

        var body = await client.GetJsonAsync("api/v2/models/");

        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal(_emu.Options.Models.Count, body.GetProperty("data").GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Stop_DuringHeldStream_IsRecordedAndEndsTheStream()
    {
        var account = _emu.AddAccount();
        using var client = new QwenTestClient(_emu, account.Token);
        var chatId = await client.NewChatAsync();
        var gate = _emu.PauseAfterFirstAnswerDelta(account.Token);
        using var response = await client.SendCompletionAsync(chatId, QwenTestClient.CompletionBody(chatId, "long answer"));
        await gate.FirstDeltaSent;

        var stop = await client.PostJsonAsync("api/v2/chat/completions/stop", new JsonObject { ["chat_id"] = chatId, ["response_id"] = "x" });
        var events = await QwenTestClient.ReadEventsAsync(response);

        Assert.True(stop.GetProperty("success").GetBoolean());
        Assert.Equal(1, _emu.GetChat(chatId)!.StopCount);
        Assert.DoesNotContain(QwenTestClient.Deltas(events, "answer"), d => d.GetProperty("status").GetString() == "finished");
        Assert.False(_emu.GetChat(chatId)!.InProgress);
    }

    [Fact]
    public async Task Requests_AreRecordedWithMethodPathHeadersBodyAndToken()
    {
        var account = _emu.AddAccount();
        using var client = new QwenTestClient(_emu, account.Token);
        var chatId = await client.NewChatAsync();

        await client.CompleteAsync(chatId, "recorded prompt");

        var recorded = _emu.Requests.Last(q => q.Token == account.Token);
        Assert.Equal("POST", recorded.Method);
        Assert.Equal($"/api/v2/chat/completions?chat_id={chatId}", recorded.PathAndQuery);
        Assert.Equal("0.3.12", recorded.Headers["Version"]);
        Assert.Contains("recorded prompt", recorded.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatDetails_AfterCompletion_ReturnsHistoryWithContentList()
    {
        using var client = new QwenTestClient(_emu, _emu.AddAccount().Token);
        var chatId = await client.NewChatAsync();
        var events = await client.CompleteAsync(chatId, "details");
        var responseId = events[0].GetProperty("response.created").GetProperty("response_id").GetString()!;

        var body = await client.GetJsonAsync($"api/v2/chats/{chatId}");

        var message = body.GetProperty("data").GetProperty("chat").GetProperty("history").GetProperty("messages").GetProperty(responseId);
        Assert.Equal("Echo: details", message.GetProperty("content").GetString());
        Assert.Equal("answer", message.GetProperty("content_list")[0].GetProperty("phase").GetString());
        Assert.Equal(responseId, message.GetProperty("content_list")[0].GetProperty("response_id").GetString());
    }

    [Fact]
    public async Task Completion_ContentAsPartsArray_AnswersFromTextParts()
    {
        using var client = new QwenTestClient(_emu, _emu.AddAccount().Token);
        var chatId = await client.NewChatAsync();
        var request = QwenTestClient.CompletionBody(chatId, "ignored");
        request["messages"]![0]!["content"] = new JsonArray(
            new JsonObject { ["type"] = "text", ["text"] = "describe" },
            new JsonObject { ["type"] = "image", ["image"] = "https://cdn.qwenlm.ai/x.png" });

        using var response = await client.SendCompletionAsync(chatId, request);
        var events = await QwenTestClient.ReadEventsAsync(response);

        Assert.Equal("Echo: describe", QwenTestClient.AnswerText(events));
        Assert.Equal(JsonValueKind.Array, _emu.GetChat(chatId)!.UserMessages[0].RawContent!.Value.ValueKind);
    }

    [Fact]
    public async Task RequestId_SentByClient_IsEchoedInHeaderAndEnvelope()
    {
        using var client = new QwenTestClient(_emu, _emu.AddAccount().Token);
        var requestId = Guid.NewGuid().ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v2/chats/new") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Add("x-request-id", requestId);

        using var response = await client.Http.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(requestId, response.Headers.GetValues("x-request-id").Single());
        Assert.Equal(requestId, body.GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task DeleteChat_ThenListAndComplete_ChatIsGone()
    {
        using var client = new QwenTestClient(_emu, _emu.AddAccount().Token);
        var kept = await client.NewChatAsync();
        var deleted = await client.NewChatAsync();

        using var delete = await client.Http.DeleteAsync($"api/v2/chats/{deleted}");
        var list = await client.GetJsonAsync("api/v2/chats/?page=1&exclude_project=true");
        var completion = await ErrorBodyAsync(client, deleted, QwenTestClient.CompletionBody(deleted, "hi"));

        Assert.True(JsonDocument.Parse(await delete.Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetProperty("status").GetBoolean());
        Assert.Equal([kept], list.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal("CHAT_NOT_FOUND", completion.GetProperty("data").GetProperty("code").GetString());
        Assert.True(_emu.GetChat(deleted)!.Deleted);
    }

    private static async Task<JsonElement> ErrorBodyAsync(QwenTestClient client, string chatId, JsonObject request)
    {
        using var response = await client.SendCompletionAsync(chatId, request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
