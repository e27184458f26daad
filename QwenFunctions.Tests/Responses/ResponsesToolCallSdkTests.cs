using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using OpenAI.Responses;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;
using QwenFunctions.Tests.Tools;

namespace QwenFunctions.Tests.Responses;

#pragma warning disable OPENAI001 // the SDK's Responses client is marked experimental

/// <summary>
/// Tool calls through the Responses API with the official .NET SDK over real HTTP: the model calls a tool, the client
/// sends the tool's output back (continuing with previous_response_id, or replaying the whole input with store:false
/// as Codex does), and the model answers.
/// </summary>
public sealed class ResponsesToolCallSdkTests
{
    private static readonly FunctionTool Weather = ResponseTool.CreateFunctionTool("get_weather",
        BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""), strictModeEnabled: null, "Current weather of a city");

    private static readonly FunctionTool Time = ResponseTool.CreateFunctionTool("get_time",
        BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}}}"""), strictModeEnabled: null, "Local time of a city");

    [Fact]
    public async Task FunctionCall_OutputSentWithPreviousResponseId_ContinuesTheSameChatWithTheNamedResultOnly()
    {
        // Two accounts: round robin would give the follow-up to the other account if the conversation were not bound.
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        app.Emulator.Script.Enqueue(ScriptedAnswer.Split("Checking.\n" + ModelToolCalls.Json("get_weather", """{"city": "Paris"}"""), 4));
        app.Emulator.Script.Enqueue("It is 21C in Paris.");
        var client = Client(app);

        ResponseResult first = await client.CreateResponseAsync(new CreateResponseOptions("qwen3.6-plus", [ResponseItem.CreateUserMessageItem("Weather in Paris?")])
        {
            Tools = { Weather },
        });

        Assert.Equal(ResponseStatus.Completed, first.Status);
        Assert.Equal("Checking.", first.GetOutputText());
        var call = Assert.IsType<FunctionCallResponseItem>(first.OutputItems[^1]);
        Assert.StartsWith("fc_", call.Id);
        Assert.Matches("^call_[A-Za-z0-9]{24}$", call.CallId);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("""{"city":"Paris"}""", call.FunctionArguments.ToString());
        Assert.Equal(FunctionCallStatus.Completed, call.Status);

        ResponseResult second = await client.CreateResponseAsync(new CreateResponseOptions("qwen3.6-plus", [ResponseItem.CreateFunctionCallOutputItem(call.CallId, "21C, sunny")])
        {
            PreviousResponseId = first.Id,
            Tools = { Weather },
        });

        Assert.Equal("It is 21C in Paris.", second.GetOutputText());
        Assert.Equal(first.Id, second.PreviousResponseId);
        var chat = Assert.Single(app.Emulator.Chats);
        Assert.Equal(chat.AssistantMessages[0].Id, chat.UserMessages[1].ParentId);
        Assert.All(app.Completions(), r => Assert.Equal(chat.OwnerToken, r.Token));
        var sent = chat.UserMessages[1].Content;
        Assert.StartsWith("<system-instructions>\n# Tools", sent); // the tools are described on every turn that may call them
        Assert.EndsWith("<tool_response>\n{\"name\":\"get_weather\",\"content\":\"21C, sunny\"}\n</tool_response>", sent);
        Assert.DoesNotContain("Weather in Paris?", sent);
        Assert.DoesNotContain("\"arguments\":{\"city\":\"Paris\"}", sent); // the call is already in the upstream chat
    }

    [Fact]
    public async Task FunctionCallsStreaming_SplitAcrossDeltasAndTcpWrites_FollowTheItemLifecycle()
    {
        await using var app = await EmulatedApp.StartAsync(emulatorOptions: new QwenEmulatorOptions { EventWriteChunkBytes = 7 });
        var answer = ModelToolCalls.Json("get_weather", """{"city": "Zürich"}""") + "\n" + ModelToolCalls.Coder("get_time", ("city", "Oslo"));
        // One character per delta: every tag crosses delta boundaries (and 7-byte writes split the ü's UTF-8 bytes).
        app.Emulator.Script.Enqueue(ScriptedAnswer.Split(answer, answer.Length));

        var updates = await StreamAsync(Client(app), new CreateResponseOptions("qwen3.6-plus", [ResponseItem.CreateUserMessageItem("Weather and time?")])
        {
            Tools = { Weather, Time },
        });

        var completed = Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]);
        Assert.Equal(Enumerable.Range(0, updates.Count), updates.Select(u => u.SequenceNumber));
        Assert.DoesNotContain(updates, u => u is StreamingResponseOutputTextDeltaUpdate);
        var calls = completed.Response.OutputItems.Cast<FunctionCallResponseItem>().ToList();
        Assert.Equal(["get_weather", "get_time"], calls.Select(c => c.FunctionName));
        Assert.Equal(["""{"city":"Zürich"}""", """{"city":"Oslo"}"""], calls.Select(c => c.FunctionArguments.ToString()));
        Assert.Equal(2, calls.Select(c => c.CallId).Distinct().Count());

        for (var index = 0; index < calls.Count; index++)
        {
            var call = calls[index];
            var added = updates.FindIndex(u => u is StreamingResponseOutputItemAddedUpdate a && a.Item.Id == call.Id);
            var deltas = updates.OfType<StreamingResponseFunctionCallArgumentsDeltaUpdate>().Where(d => d.ItemId == call.Id).ToList();
            var done = Assert.Single(updates.OfType<StreamingResponseFunctionCallArgumentsDoneUpdate>(), d => d.ItemId == call.Id);
            var itemDone = updates.FindIndex(u => u is StreamingResponseOutputItemDoneUpdate d && d.Item.Id == call.Id);

            // Added (with call_id and name, no arguments yet) before its first delta; done before the next item is added.
            var opened = Assert.IsType<FunctionCallResponseItem>(((StreamingResponseOutputItemAddedUpdate)updates[added]).Item);
            Assert.Equal((call.CallId, call.FunctionName, ""), (opened.CallId, opened.FunctionName, opened.FunctionArguments.ToString()));
            Assert.Equal(index, ((StreamingResponseOutputItemAddedUpdate)updates[added]).OutputIndex);
            Assert.All(deltas, d => Assert.InRange(updates.IndexOf(d), added + 1, itemDone - 1));
            Assert.Equal(call.FunctionArguments.ToString(), string.Concat(deltas.Select(d => d.Delta.ToString())));
            Assert.Equal((call.FunctionName, call.FunctionArguments.ToString()), (done.FunctionName, done.FunctionArguments.ToString()));
            var closed = Assert.IsType<FunctionCallResponseItem>(((StreamingResponseOutputItemDoneUpdate)updates[itemDone]).Item);
            Assert.Equal((call.CallId, call.FunctionArguments.ToString()), (closed.CallId, closed.FunctionArguments.ToString()));
        }

        Assert.True(updates.FindIndex(u => u is StreamingResponseOutputItemDoneUpdate d && d.Item.Id == calls[0].Id)
            < updates.FindIndex(u => u is StreamingResponseOutputItemAddedUpdate a && a.Item.Id == calls[1].Id));
    }

    [Fact]
    public async Task FunctionCallStreaming_StatelessReplayOfTheDoneItems_ContinuesTheChatWithTheOutputOnlyAndStreamsTheAnswer()
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Script.Enqueue(ModelToolCalls.Json("get_weather", """{"city": "Paris"}"""));
        app.Emulator.Script.Enqueue("Sunny", ", 21C.");
        var client = Client(app);
        List<ResponseItem> input = [ResponseItem.CreateUserMessageItem("Weather in Paris?")];

        // Turn 1, as Codex runs it: store:false, history built from response.output_item.done.
        var first = await StreamAsync(client, new CreateResponseOptions("qwen3.6-plus", [.. input]) { Tools = { Weather }, StoredOutputEnabled = false });
        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(first.OfType<StreamingResponseOutputItemDoneUpdate>()).Item);
        input.Add(call);
        input.Add(ResponseItem.CreateFunctionCallOutputItem(call.CallId, """{"temperature":21,"sky":"clear"}"""));

        // Turn 2: the whole input again, with the call and its output.
        var second = await StreamAsync(client, new CreateResponseOptions("qwen3.6-plus", input) { Tools = { Weather }, StoredOutputEnabled = false });

        Assert.Equal("Sunny, 21C.", string.Concat(second.OfType<StreamingResponseOutputTextDeltaUpdate>().Select(u => u.Delta)));
        Assert.Equal("Sunny, 21C.", Assert.IsType<StreamingResponseCompletedUpdate>(second[^1]).Response.GetOutputText());
        // The replay extends the app's own answer: the same upstream chat goes on, and only the output is new.
        var chat = Assert.Single(app.Emulator.Chats);
        var sent = chat.UserMessages[^1].Content;
        Assert.Equal(chat.AssistantMessages[0].Id, chat.UserMessages[^1].ParentId);
        Assert.DoesNotContain("Weather in Paris?", sent);
        Assert.DoesNotContain("Assistant: <tool_call>", sent);
        Assert.EndsWith("<tool_response>\n{\"name\":\"get_weather\",\"content\":{\"temperature\":21,\"sky\":\"clear\"}}\n</tool_response>", sent);
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(Assert.IsType<StreamingResponseCompletedUpdate>(second[^1]).Response.Id))).Status);
    }

    [Fact]
    public async Task CustomTool_CodexApplyPatch_ComesBackAsCustomToolCallWithTheRawInput_AndItsOutputGoesBack()
    {
        await using var app = await EmulatedApp.StartAsync();
        const string patch = "*** Begin Patch\n*** Add File: hello.txt\n+Hello \"world\"\n*** End Patch";
        app.Emulator.Script.Enqueue(ScriptedAnswer.Split(ModelToolCalls.Json("apply_patch", JsonSerializer.Serialize(new { input = patch })), 9));
        app.Emulator.Script.Enqueue("Done.");
        var client = Client(app);
        var applyPatch = new CustomTool("apply_patch")
        {
            ToolDescription = "Use the `apply_patch` tool to edit files. This is a FREEFORM tool, so do not wrap the patch in JSON.",
            ToolFormat = new CustomToolGrammarFormat("start: begin_patch hunk+ end_patch", CustomToolGrammarFormatSyntax.Lark),
        };
        List<ResponseItem> input = [ResponseItem.CreateUserMessageItem("Create hello.txt")];

        var first = await StreamAsync(client, new CreateResponseOptions("qwen3.6-plus", [.. input]) { Tools = { applyPatch }, StoredOutputEnabled = false });

        var call = Assert.IsType<CustomToolCallItem>(Assert.Single(first.OfType<StreamingResponseOutputItemDoneUpdate>()).Item);
        Assert.Equal(("apply_patch", patch), (call.ToolName, call.Input));
        Assert.Equal(patch, string.Concat(first.OfType<StreamingResponseCustomToolCallInputDeltaUpdate>().Select(d => d.InputDelta)));
        Assert.Equal(patch, Assert.Single(first.OfType<StreamingResponseCustomToolCallInputDoneUpdate>()).Input);
        Assert.DoesNotContain(first, u => u is StreamingResponseFunctionCallArgumentsDeltaUpdate);
        var prompt = OpenAIToolCallSdkTests.UpstreamPrompts(app)[0];
        Assert.Contains("FREEFORM tool", prompt);
        Assert.Contains("start: begin_patch hunk+ end_patch", prompt);

        input.Add(call);
        input.Add(ResponseItem.CreateCustomToolCallOutputItem(call.CallId, [ResponseContentPart.CreateInputTextPart("Success. Updated the following files:\nA hello.txt")]));
        var second = await StreamAsync(client, new CreateResponseOptions("qwen3.6-plus", input) { Tools = { applyPatch }, StoredOutputEnabled = false });

        Assert.Equal("Done.", Assert.IsType<StreamingResponseCompletedUpdate>(second[^1]).Response.GetOutputText());
        var continued = Assert.Single(app.Emulator.Chats).UserMessages[^1].Content;
        Assert.EndsWith("<tool_response>\n{\"name\":\"apply_patch\",\"content\":\"Success. Updated the following files:\\nA hello.txt\"}\n</tool_response>", continued);
        Assert.DoesNotContain("Create hello.txt", continued);

        // The same items after an edited first message are no continuation: the raw input is folded as the call's argument.
        input[0] = ResponseItem.CreateUserMessageItem("Create hello.txt, please");
        await StreamAsync(client, new CreateResponseOptions("qwen3.6-plus", input) { Tools = { applyPatch }, StoredOutputEnabled = false });
        var sent = OpenAIToolCallSdkTests.UpstreamPrompts(app)[^1];
        Assert.Equal(2, app.Emulator.Chats.Count);
        Assert.Contains("Assistant: <tool_call>\n{\"name\":\"apply_patch\",\"arguments\":{\"input\":\"*** Begin Patch\\n*** Add File: hello.txt\\n+Hello \\\"world\\\"\\n*** End Patch\"}}\n</tool_call>", sent);
        Assert.EndsWith("<tool_response>\n{\"name\":\"apply_patch\",\"content\":\"Success. Updated the following files:\\nA hello.txt\"}\n</tool_response>", sent);
    }

    [Fact]
    public async Task CustomTool_NonStreaming_IsACustomToolCallItem()
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Script.Enqueue(ModelToolCalls.Json("apply_patch", """{"input":"*** Begin Patch\n*** End Patch"}"""));

        ResponseResult response = await Client(app).CreateResponseAsync(new CreateResponseOptions("qwen3.6-plus", [ResponseItem.CreateUserMessageItem("Patch it")])
        {
            Tools = { new CustomTool("apply_patch") },
        });

        var call = Assert.IsType<CustomToolCallItem>(Assert.Single(response.OutputItems));
        Assert.Equal("*** Begin Patch\n*** End Patch", call.Input);
        Assert.StartsWith("ctc_", call.Id);
    }

    [Fact]
    public async Task RequiredToolChoice_StreamEndedWithoutACall_EndsWithErrorAndFailed_NeverCompleted()
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Script.Enqueue("I would rather not.");

        var updates = await StreamAsync(Client(app), new CreateResponseOptions("qwen3.6-plus", [ResponseItem.CreateUserMessageItem("Weather?")])
        {
            Tools = { Weather },
            ToolChoice = ResponseToolChoice.CreateRequiredChoice(),
        });

        Assert.IsType<StreamingResponseErrorUpdate>(updates[^2]);
        var failed = Assert.IsType<StreamingResponseFailedUpdate>(updates[^1]);
        Assert.Equal(ResponseStatus.Failed, failed.Response.Status);
        Assert.Contains("tool_choice", failed.Response.Error.Message);
        Assert.DoesNotContain(updates, u => u is StreamingResponseCompletedUpdate);
    }

    [Fact]
    public async Task NamedToolChoice_Whole_OffersOnlyThatToolAndAsksOnceMoreWhenAnsweredInProse()
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Script.Enqueue("Oslo is lovely.");
        app.Emulator.Script.Enqueue(ModelToolCalls.Json("get_time", """{"city":"Oslo"}"""));

        ResponseResult response = await Client(app).CreateResponseAsync(new CreateResponseOptions("qwen3.6-plus", [ResponseItem.CreateUserMessageItem("Time in Oslo?")])
        {
            Tools = { Weather, Time },
            ToolChoice = ResponseToolChoice.CreateFunctionChoice("get_time"),
        });

        Assert.Equal("get_time", Assert.IsType<FunctionCallResponseItem>(Assert.Single(response.OutputItems)).FunctionName);
        var prompts = OpenAIToolCallSdkTests.UpstreamPrompts(app);
        Assert.Equal(2, prompts.Count);
        Assert.All(prompts, p => Assert.Contains("You must call the function \"get_time\"", p));
        Assert.All(prompts, p => Assert.DoesNotContain("get_weather", p));
    }

    [Fact]
    public async Task HostedAndUnknownToolTypes_AreLeftOutOfThePrompt_NotRefused()
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Script.Enqueue(ModelToolCalls.Json("get_weather", """{"city":"Paris"}"""));

        var (response, body) = await app.PostJsonAsync("api/v1/responses", """
            {"model":"qwen3.6-plus","input":"Weather?","store":false,"tool_choice":"auto","parallel_tool_calls":false,
             "tools":[{"type":"web_search"},{"type":"namespace","name":"mcp__fs","tools":[]},{"type":"local_shell"},
                      {"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}]}
            """);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(body.GetProperty("output").EnumerateArray());
        Assert.Equal("function_call", call.GetProperty("type").GetString());
        Assert.Equal("get_weather", call.GetProperty("name").GetString());
        var prompt = OpenAIToolCallSdkTests.UpstreamPrompts(app).Single();
        Assert.DoesNotContain("web_search", prompt);
        Assert.DoesNotContain("mcp__fs", prompt);
        Assert.DoesNotContain("local_shell", prompt);
    }

    private static async Task<List<StreamingResponseUpdate>> StreamAsync(ResponsesClient client, CreateResponseOptions options)
    {
        options.StreamingEnabled = true;
        var updates = new List<StreamingResponseUpdate>();
        await foreach (var update in await client.CreateResponseStreamingAsync(options))
        {
            updates.Add(update);
        }

        return updates;
    }

    private static ResponsesClient Client(EmulatedApp app) =>
        new(new ApiKeyCredential("unused"), new ResponsesClientOptions
        {
            Endpoint = new Uri(app.Server.BaseAddress, "api/v1"),
            RetryPolicy = new ClientRetryPolicy(0),
        });
}
