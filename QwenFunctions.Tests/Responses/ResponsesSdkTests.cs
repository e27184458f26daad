using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text.Json;
using OpenAI.Responses;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Responses;

#pragma warning disable OPENAI001 // the SDK's Responses client is marked experimental

/// <summary>The official .NET SDK's Responses client against the app over real HTTP.</summary>
public sealed class ResponsesSdkTests
{
    [Fact]
    public async Task CreateResponse_ReturnsTheAnswer_StoresIt_AndDeleteForgetsIt()
    {
        await using var app = await EmulatedApp.StartAsync();
        var client = Client(app);

        ResponseResult response = await client.CreateResponseAsync(new CreateResponseOptions("qwen3-max", [ResponseItem.CreateUserMessageItem("What is 2+2?")])
        {
            Instructions = "Be brief.",
        });

        Assert.StartsWith("resp_", response.Id);
        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.Equal("qwen3-max", response.Model);
        Assert.StartsWith("Echo: <system-instructions>\nBe brief.", response.GetOutputText());
        Assert.EndsWith("What is 2+2?", response.GetOutputText());
        Assert.True(response.Usage.InputTokenCount > 0);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);

        ResponseResult stored = await client.GetResponseAsync(response.Id);
        Assert.Equal(response.GetOutputText(), stored.GetOutputText());
        var inputs = new List<ResponseItem>();
        await foreach (var item in client.GetResponseInputItemsAsync(response.Id))
        {
            inputs.Add(item);
        }

        var input = Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(inputs));
        Assert.Equal("What is 2+2?", input.Content[0].Text);

        ResponseDeletionResult deleted = await client.DeleteResponseAsync(response.Id);
        Assert.True(deleted.Deleted);
        var gone = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(response.Id));
        Assert.Equal(404, gone.Status);
    }

    [Fact]
    public async Task CreateResponseStreaming_FollowsTheEventOrder_AndCompletesWithTheWholeOutput()
    {
        await using var app = await EmulatedApp.StartAsync();
        var client = Client(app);
        var updates = new List<StreamingResponseUpdate>();

        await foreach (var update in await client.CreateResponseStreamingAsync(new CreateResponseOptions("qwen3.6-plus-thinking", [ResponseItem.CreateUserMessageItem("Hello there")])
            { StreamingEnabled = true, ReasoningOptions = new ResponseReasoningOptions { ReasoningSummaryVerbosity = ResponseReasoningSummaryVerbosity.Auto } }))
        {
            updates.Add(update);
        }

        Assert.IsType<StreamingResponseCreatedUpdate>(updates[0]);
        Assert.IsType<StreamingResponseInProgressUpdate>(updates[1]);
        var completed = Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]);
        Assert.Equal(Enumerable.Range(0, updates.Count), updates.Select(u => u.SequenceNumber));
        var firstTextDelta = updates.FindIndex(u => u is StreamingResponseOutputTextDeltaUpdate);
        var messageAdded = updates.FindIndex(u => u is StreamingResponseOutputItemAddedUpdate { Item: MessageResponseItem });
        Assert.InRange(messageAdded, 2, firstTextDelta - 1);
        Assert.Contains(updates, u => u is StreamingResponseReasoningSummaryTextDeltaUpdate);

        var text = string.Concat(updates.OfType<StreamingResponseOutputTextDeltaUpdate>().Select(u => u.Delta));
        Assert.Equal("Echo: Hello there", text);
        Assert.Equal(text, completed.Response.GetOutputText());
        Assert.IsType<ReasoningResponseItem>(completed.Response.OutputItems[0]);
        Assert.True(completed.Response.Usage.OutputTokenDetails.ReasoningTokenCount > 0);
        var done = updates.OfType<StreamingResponseOutputItemDoneUpdate>().Select(u => u.Item.Id).ToList();
        Assert.Equal(completed.Response.OutputItems.Select(i => i.Id), done);
    }

    [Fact]
    public async Task PreviousResponseId_ContinuesTheSameUpstreamChat_WithOnlyTheNewInput()
    {
        // Two accounts: round robin would give the second turn to the other account if the conversation were not bound.
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        var client = Client(app);

        ResponseResult first = await client.CreateResponseAsync("qwen3-max", "My name is Ada.", previousResponseId: null);
        ResponseResult second = await client.CreateResponseAsync("qwen3-max", "What is my name?", previousResponseId: first.Id);

        Assert.Equal(first.Id, second.PreviousResponseId);
        var chat = Assert.Single(app.Emulator.Chats);
        Assert.Equal(["My name is Ada.", "What is my name?"], chat.UserMessages.Select(m => m.Content));
        Assert.Equal(chat.AssistantMessages[0].Id, chat.UserMessages[1].ParentId);
        Assert.All(app.Completions(), r => Assert.Equal(chat.OwnerToken, r.Token));
    }

    [Fact]
    public async Task StatelessAgent_ResendsTheWholeInputWithStoreFalse_HistoryIsFoldedAndNothingIsKept()
    {
        await using var app = await EmulatedApp.StartAsync();
        var client = Client(app);

        ResponseResult response = await client.CreateResponseAsync(new CreateResponseOptions("qwen3-max",
        [
            ResponseItem.CreateUserMessageItem("My name is Ada."),
            ResponseItem.CreateAssistantMessageItem("Hello Ada."),
            ResponseItem.CreateUserMessageItem("What is my name?"),
        ]) { StoredOutputEnabled = false });

        Assert.Contains("Hello Ada.", response.GetOutputText()); // the echo shows the folded history went upstream
        Assert.EndsWith("What is my name?", response.GetOutputText());
        Assert.Single(app.Emulator.Chats);
        var notKept = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(response.Id));
        Assert.Equal(404, notKept.Status);
        var cannotContinue = await Assert.ThrowsAsync<ClientResultException>(() => client.CreateResponseAsync("qwen3-max", "more", response.Id));
        Assert.Equal(400, cannotContinue.Status);
    }

    [Fact]
    public async Task StreamBrokenOffUpstream_EndsWithErrorAndFailed_NeverCompleted()
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Faults.SetSticky(app.Accounts[0].Token, Fault.CutAfter(answerDeltas: 1));
        var client = Client(app);
        var updates = new List<StreamingResponseUpdate>();

        await foreach (var update in await client.CreateResponseStreamingAsync("qwen3-max", "Tell me a story", previousResponseId: null))
        {
            updates.Add(update);
        }

        Assert.Contains(updates, u => u is StreamingResponseOutputTextDeltaUpdate);
        Assert.IsType<StreamingResponseErrorUpdate>(updates[^2]);
        Assert.Equal(ResponseStatus.Failed, Assert.IsType<StreamingResponseFailedUpdate>(updates[^1]).Response.Status);
        Assert.DoesNotContain(updates, u => u is StreamingResponseCompletedUpdate);
    }

    [Fact]
    public async Task StoredResponses_AreScopedToTheApiKey_AnotherKeySees404()
    {
        await using var app = await EmulatedApp.StartAsync(settings: s => s["API_KEYS"] = "sk-alice,sk-bob");
        var alice = Client(app, "sk-alice");
        var bob = Client(app, "sk-bob");

        ResponseResult response = await alice.CreateResponseAsync("qwen3-max", "secret plans", previousResponseId: null);

        Assert.Equal(response.Id, (await alice.GetResponseAsync(response.Id)).Value.Id);
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => bob.GetResponseAsync(response.Id))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => bob.DeleteResponseAsync(response.Id))).Status);
        Assert.Equal(400, (await Assert.ThrowsAsync<ClientResultException>(() => bob.CreateResponseAsync("qwen3-max", "continue", response.Id))).Status);
        Assert.Equal(response.Id, (await alice.GetResponseAsync(response.Id)).Value.Id); // bob's delete did nothing
    }

    [Theory]
    [InlineData("api/v1/responses/resp_unknown")]
    [InlineData("api/responses/resp_unknown")]
    [InlineData("api/v1/responses/resp_unknown/input_items")]
    public async Task UnknownId_Is404InTheOpenAIEnvelope(string path)
    {
        await using var app = await EmulatedApp.StartAsync();

        var response = await app.Http.GetAsync(path);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("invalid_request_error", body.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("resp_unknown", body.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task UnversionedRoute_AndRawBodies_CarryNoSecret()
    {
        await using var app = await EmulatedApp.StartAsync();

        var (created, body) = await app.PostJsonAsync("api/responses", new { model = "qwen3-max", input = "hi" });
        var stream = await app.PostAsync("api/v1/responses", new { model = "qwen3-max", input = "hi", stream = true });
        var events = await stream.Content.ReadAsStringAsync();
        var id = body.GetProperty("id").GetString();
        var stored = await app.Http.GetStringAsync($"api/v1/responses/{id}");
        var items = await app.Http.GetStringAsync($"api/v1/responses/{id}/input_items");

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0", events);
        Assert.DoesNotContain("[DONE]", events);
        foreach (var text in new[] { body.GetRawText(), events, stored, items })
        {
            Assert.DoesNotContain(app.Accounts[0].Token, text);
            Assert.DoesNotContain(app.Emulator.Chats[0].Id, text); // upstream ids stay inside the app
        }
    }

    [Fact]
    public async Task ModelList_CarriesTheModelsFieldCodexDecodes()
    {
        await using var app = await EmulatedApp.StartAsync();

        var body = JsonDocument.Parse(await app.Http.GetStringAsync("api/v1/models?client_version=0.50.0")).RootElement;

        Assert.Equal(JsonValueKind.Array, body.GetProperty("models").ValueKind);
        Assert.True(body.GetProperty("data").GetArrayLength() > 0);
    }

    internal static ResponsesClient Client(EmulatedApp app, string key = "unused") =>
        new(new ApiKeyCredential(key), new ResponsesClientOptions
        {
            Endpoint = new Uri(app.Server.BaseAddress, "api/v1"),
            RetryPolicy = new ClientRetryPolicy(0),
        });
}
