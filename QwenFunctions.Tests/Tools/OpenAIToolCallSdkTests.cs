using System.ClientModel;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Tools;

/// <summary>Tool calling through chat completions, with the official OpenAI .NET SDK over real HTTP.</summary>
public sealed class OpenAIToolCallSdkTests
{
    internal static readonly ChatTool Weather = ChatTool.CreateFunctionTool("get_weather", "Current weather of a city",
        BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));

    internal static readonly ChatTool Time = ChatTool.CreateFunctionTool("get_time", "Local time of a city",
        BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}}}"""));

    [Fact]
    public async Task CompleteChat_ModelWritesACall_SdkGetsToolCallWithTextBeforeIt()
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Script.Enqueue(ScriptedAnswer.Split("I'll check.\n" + ModelToolCalls.Json("get_weather", """{"city": "Paris"}"""), 5));

        ChatCompletion completion = await Client(app).CompleteChatAsync([new UserChatMessage("Weather in Paris?")], new ChatCompletionOptions { Tools = { Weather } });

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        Assert.Equal("I'll check.", Assert.Single(completion.Content).Text);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Matches("^call_[A-Za-z0-9]{24}$", call.Id);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("Paris", JsonDocument.Parse(call.FunctionArguments).RootElement.GetProperty("city").GetString());

        // The tools went upstream as text in Qwen's template format, never as a tools field.
        var sent = UpstreamPrompts(app).Single();
        Assert.Contains("<tools>\n{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"", sent);
        Assert.DoesNotContain(app.Emulator.Requests, r => r.Path.EndsWith("/completions", StringComparison.Ordinal) && r.Body.Contains("\"tools\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CompleteChatStreaming_CallsSplitAcrossDeltasAndTcpWrites_SdkAssemblesParallelToolCallDeltas()
    {
        await using var app = await EmulatedApp.StartAsync(emulatorOptions: new QwenEmulatorOptions { EventWriteChunkBytes = 7 });
        var answer = "Looking up both 🌍.\n" + ModelToolCalls.Json("get_weather", """{"city": "Zürich"}""") + "\n" + ModelToolCalls.Coder("get_time", ("city", "Oslo"));
        // One character per delta: every tag crosses delta boundaries (and 7-byte writes split the emoji's UTF-8 bytes).
        app.Emulator.Script.Enqueue(ScriptedAnswer.Split(answer, answer.Length));
        var text = new StringBuilder();
        var calls = new SortedDictionary<int, (string? Id, string? Name, StringBuilder Arguments)>();
        ChatFinishReason? finish = null;

        await foreach (var update in Client(app).CompleteChatStreamingAsync([new UserChatMessage("Weather and time?")], new ChatCompletionOptions { Tools = { Weather, Time } }))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            foreach (var call in update.ToolCallUpdates)
            {
                var entry = calls.TryGetValue(call.Index, out var known) ? known : (null, null, new StringBuilder());
                calls[call.Index] = (entry.Id ?? call.ToolCallId, entry.Name ?? call.FunctionName, entry.Arguments.Append(call.FunctionArgumentsUpdate?.ToString()));
            }

            finish ??= update.FinishReason;
        }

        Assert.Equal("Looking up both 🌍.", text.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.Equal([0, 1], calls.Keys);
        Assert.Equal(("get_weather", """{"city":"Zürich"}"""), (calls[0].Name, calls[0].Arguments.ToString()));
        Assert.Equal(("get_time", """{"city":"Oslo"}"""), (calls[1].Name, calls[1].Arguments.ToString()));
        Assert.All(calls.Values, c => Assert.Matches("^call_[A-Za-z0-9]{24}$", c.Id));
    }

    [Fact]
    public async Task CompleteChat_ToolResultsInHistory_AreFoldedAsToolResponsesNamedAfterTheirCalls()
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Script.Enqueue("It is 21C in Paris.");
        List<ChatMessage> history =
        [
            new UserChatMessage("Weather in Paris?"),
            new AssistantChatMessage([ChatToolCall.CreateFunctionToolCall("call_abc", "get_weather", BinaryData.FromString("""{"city":"Paris"}"""))]),
            new ToolChatMessage("call_abc", "21C, sunny"),
        ];

        ChatCompletion completion = await Client(app).CompleteChatAsync(history, new ChatCompletionOptions { Tools = { Weather } });

        Assert.Equal("It is 21C in Paris.", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        var sent = UpstreamPrompts(app).Single();
        Assert.Contains("Assistant: <tool_call>\n{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}}\n</tool_call>", sent);
        Assert.EndsWith("<tool_response>\n{\"name\":\"get_weather\",\"content\":\"21C, sunny\"}\n</tool_response>", sent);
    }

    [Fact]
    public async Task CompleteChat_RequiredChoiceAnsweredInProse_IsAskedOnceMoreAndReturnsTheCall()
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Script.Enqueue("Paris is usually mild.");
        app.Emulator.Script.Enqueue(ModelToolCalls.Json("get_weather", """{"city":"Paris"}"""));

        ChatCompletion completion = await Client(app).CompleteChatAsync([new UserChatMessage("Weather in Paris?")],
            new ChatCompletionOptions { Tools = { Weather }, ToolChoice = ChatToolChoice.CreateRequiredChoice() });

        Assert.Equal("get_weather", Assert.Single(completion.ToolCalls).FunctionName);
        Assert.Equal(2, UpstreamPrompts(app).Count);
        Assert.All(UpstreamPrompts(app), p => Assert.Contains("You must call at least one of these functions", p));
    }

    [Fact]
    public async Task CompleteChat_NamedChoice_OffersOnlyThatTool()
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Script.Enqueue(ModelToolCalls.Json("get_time", """{"city":"Oslo"}"""));

        ChatCompletion completion = await Client(app).CompleteChatAsync([new UserChatMessage("Time in Oslo?")],
            new ChatCompletionOptions { Tools = { Weather, Time }, ToolChoice = ChatToolChoice.CreateFunctionChoice("get_time") });

        Assert.Equal("get_time", Assert.Single(completion.ToolCalls).FunctionName);
        var sent = UpstreamPrompts(app).Single();
        Assert.DoesNotContain("get_weather", sent);
        Assert.Contains("You must call the function \"get_time\"", sent);
    }

    [Fact]
    public async Task CompleteChat_ParallelCallsOff_KeepsTheFirstCall()
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Script.Enqueue(ModelToolCalls.Json("get_weather", """{"city":"Paris"}""") + "\n" + ModelToolCalls.Json("get_weather", """{"city":"Oslo"}"""));

        ChatCompletion completion = await Client(app).CompleteChatAsync([new UserChatMessage("Weather?")],
            new ChatCompletionOptions { Tools = { Weather }, AllowParallelToolCalls = false });

        Assert.Contains("Paris", Assert.Single(completion.ToolCalls).FunctionArguments.ToString());
    }

    [Fact]
    public async Task CompleteChat_ChoiceNone_SendsNoToolsAndLeavesTagsAsText()
    {
        await using var app = await EmulatedApp.StartAsync();
        var answer = ModelToolCalls.Json("get_weather", """{"city":"Paris"}""");
        app.Emulator.Script.Enqueue(answer);

        ChatCompletion completion = await Client(app).CompleteChatAsync([new UserChatMessage("Weather?")],
            new ChatCompletionOptions { Tools = { Weather }, ToolChoice = ChatToolChoice.CreateNoneChoice() });

        Assert.Empty(completion.ToolCalls);
        Assert.Equal(answer, completion.Content[0].Text);
        Assert.DoesNotContain("<tools>", UpstreamPrompts(app).Single());
    }

    [Fact]
    public async Task CompleteChat_BlockThatIsNotACall_ComesBackAsTextWithStop()
    {
        await using var app = await EmulatedApp.StartAsync();
        const string answer = "Here: <tool_call>\n{\"name\": \"rm_rf\", \"arguments\": {}}\n</tool_call>";
        app.Emulator.Script.Enqueue(answer);

        ChatCompletion completion = await Client(app).CompleteChatAsync([new UserChatMessage("Weather?")], new ChatCompletionOptions { Tools = { Weather } });

        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Empty(completion.ToolCalls);
        Assert.Equal(answer, completion.Content[0].Text);
    }

    internal static ChatClient Client(EmulatedApp app, string model = "qwen3.6-plus") =>
        new(model, new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(app.Server.BaseAddress, "api/v1") });

    internal static List<string> UpstreamPrompts(EmulatedApp app) =>
        app.Emulator.Chats.SelectMany(c => c.UserMessages).Select(m => m.Content).ToList();
}
