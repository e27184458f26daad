using System.Text.Json;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.NodeSdk;

/// <summary>
/// The npm clients most agents and apps are built on (openai-node, @anthropic-ai/sdk), unmodified, pointed at the app
/// over real HTTP: what each SDK hands its caller, and what reached the upstream.
/// </summary>
public sealed class NodeSdkTests
{
    private const string ClientKey = "sk-node-client";

    [NodeSdkFact]
    public async Task OpenAINode_ChatCompletions_WholeAndStreamedWithUsage()
    {
        await using var app = await EmulatedApp.StartAsync();

        var result = await NodeSdk.RunAsync(app, "chat");

        Assert.Equal("Echo: Hello", result.GetProperty("content").GetString());
        Assert.Equal("stop", result.GetProperty("finish").GetString());
        Assert.True(result.GetProperty("usage").GetInt32() > 0);
        Assert.Equal("Echo: Stream it", result.GetProperty("streamed").GetString());
        Assert.Equal(["stop"], result.GetProperty("streamFinish").EnumerateArray().Select(e => e.GetString()));
        Assert.True(result.GetProperty("streamUsage").GetInt32() > 0);
    }

    [NodeSdkFact]
    public async Task OpenAINode_RunToolsStreaming_RunsTheToolAndSendsItsResultBack()
    {
        await using var app = await EmulatedApp.StartAsync(emulatorOptions: new QwenEmulatorOptions { EventWriteChunkBytes = 5 });
        app.Emulator.Script.Enqueue(ScriptedAnswer.Split("Let me check.\n" + ModelToolCalls.Json("get_weather", """{"city": "Paris"}"""), 6));
        app.Emulator.Script.Enqueue("It is 21C in Paris.");

        var result = await NodeSdk.RunAsync(app, "chat-tools");

        Assert.Equal(["Paris"], result.GetProperty("calls").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("It is 21C in Paris.", result.GetProperty("content").GetString());
        Assert.Equal(4, result.GetProperty("turns").GetInt32()); // user, assistant tool_calls, tool, assistant
        var second = UpstreamPrompts(app)[^1];
        Assert.Contains("<tool_response>", second, StringComparison.Ordinal);
        Assert.Contains("\"celsius\":21", second, StringComparison.Ordinal);
    }

    [NodeSdkFact]
    public async Task OpenAINode_Responses_CreateStreamAndContinue()
    {
        await using var app = await EmulatedApp.StartAsync();

        var result = await NodeSdk.RunAsync(app, "responses");

        Assert.StartsWith("resp_", result.GetProperty("id").GetString());
        Assert.Contains("Hello", result.GetProperty("text").GetString());
        Assert.Equal("completed", result.GetProperty("status").GetString());
        var types = result.GetProperty("types").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal("response.created", types[0]);
        Assert.Equal("response.completed", types[^1]);
        Assert.True(types.IndexOf("response.output_item.added") < types.IndexOf("response.output_text.delta"));
        Assert.Equal("Echo: Stream it", result.GetProperty("streamedText").GetString());
        Assert.Contains("And again", result.GetProperty("next").GetString());
        // Continued: the same upstream chat got only the new input.
        var continued = Assert.Single(app.Emulator.Chats, c => c.UserMessages.Any(m => m.Content == "And again"));
        Assert.Contains("Hello", continued.UserMessages[0].Content, StringComparison.Ordinal);
    }

    [NodeSdkFact]
    public async Task OpenAINode_ResponsesFunctionCallRoundTrip_ViaPreviousResponseId()
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Script.Enqueue(ScriptedAnswer.Split(ModelToolCalls.Json("get_weather", """{"city": "Paris"}"""), 5));
        app.Emulator.Script.Enqueue("Sunny, 21C.");

        var result = await NodeSdk.RunAsync(app, "responses-tools");

        Assert.Equal("get_weather", result.GetProperty("name").GetString());
        Assert.Equal("Paris", result.GetProperty("args").GetProperty("city").GetString());
        Assert.StartsWith("call_", result.GetProperty("callId").GetString());
        Assert.Equal("Sunny, 21C.", result.GetProperty("text").GetString());
        Assert.Contains("<tool_response>", UpstreamPrompts(app)[^1], StringComparison.Ordinal);
    }

    [NodeSdkFact]
    public async Task AnthropicNode_CreateAndStream_GiveTheAnswerAndEndTurn()
    {
        await using var app = await EmulatedApp.StartAsync();

        var result = await NodeSdk.RunAsync(app, "anthropic");

        Assert.StartsWith("msg_", result.GetProperty("id").GetString());
        Assert.Equal("Echo: Hello", result.GetProperty("text").GetString());
        Assert.Equal("end_turn", result.GetProperty("stop").GetString());
        Assert.Equal("Echo: Stream it", result.GetProperty("streamedText").GetString());
        Assert.Equal("Echo: Stream it", result.GetProperty("finalText").GetString());
        Assert.Equal("end_turn", result.GetProperty("finalStop").GetString());
        Assert.True(result.GetProperty("outputTokens").GetInt32() > 0);
    }

    [NodeSdkFact]
    public async Task AnthropicNode_ToolUseRoundTrip_StreamsTheCallAndFoldsTheResult()
    {
        await using var app = await EmulatedApp.StartAsync(emulatorOptions: new QwenEmulatorOptions { EventWriteChunkBytes = 5 });
        app.Emulator.Script.Enqueue(ScriptedAnswer.Split(ModelToolCalls.Json("get_weather", """{"city": "Paris"}"""), 7));
        app.Emulator.Script.Enqueue("It is 21C and sunny in Paris.");

        var result = await NodeSdk.RunAsync(app, "anthropic-tools");

        Assert.Equal("tool_use", result.GetProperty("stop").GetString());
        Assert.Equal("get_weather", result.GetProperty("name").GetString());
        Assert.Equal("Paris", result.GetProperty("input").GetProperty("city").GetString());
        Assert.Equal("It is 21C and sunny in Paris.", result.GetProperty("text").GetString());
        Assert.Contains("21C and sunny", UpstreamPrompts(app)[^1], StringComparison.Ordinal);
    }

    [NodeSdkFact]
    public async Task AnthropicNode_ClaudeCodeShapedTurns_OnTheBetaRoute_ToolUseThenAnswer()
    {
        await using var app = await EmulatedApp.StartAsync(emulatorOptions: new QwenEmulatorOptions { EventWriteChunkBytes = 6 });
        app.Emulator.Script.Enqueue(ScriptedAnswer.Split("I will list them.\n" + ModelToolCalls.Json("Bash", """{"command": "ls"}"""), 8));
        app.Emulator.Script.Enqueue("There are README.md and src.");

        var result = await NodeSdk.RunAsync(app, "claude-code");

        Assert.Equal("tool_use", result.GetProperty("stop").GetString());
        Assert.Equal("Bash", result.GetProperty("name").GetString());
        Assert.Equal("ls", result.GetProperty("input").GetProperty("command").GetString());
        Assert.True(result.GetProperty("inputTokens").GetInt32() > 0); // Claude Code's context meter
        Assert.Contains("tool_use", result.GetProperty("blocks").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("There are README.md and src.", result.GetProperty("text").GetString());
        Assert.Equal("end_turn", result.GetProperty("secondStop").GetString());
        // The tool result goes back in Qwen's own form, its text JSON-encoded inside <tool_response>.
        Assert.Contains("<tool_response>\n{\"name\":\"Bash\",\"content\":\"README.md\\nsrc\"}", UpstreamPrompts(app)[^1], StringComparison.Ordinal);
    }

    [NodeSdkFact]
    public async Task OpenAINode_CodexShapedStatelessTurn_AnswersACustomToolCallWithTheFullLifecycle()
    {
        await using var app = await EmulatedApp.StartAsync();
        const string Patch = "*** Begin Patch\n*** Add File: hello.txt\n+hello\n*** End Patch";
        app.Emulator.Script.Enqueue(ScriptedAnswer.Split(ModelToolCalls.Json("apply_patch", JsonSerializer.Serialize(new { input = Patch })), 9));

        var result = await NodeSdk.RunAsync(app, "codex");

        Assert.True(result.GetProperty("models").GetBoolean());
        Assert.Equal("completed", result.GetProperty("status").GetString());
        Assert.Equal("apply_patch", result.GetProperty("call").GetProperty("name").GetString());
        Assert.Equal(Patch, result.GetProperty("call").GetProperty("input").GetString());
        var types = result.GetProperty("types").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal("response.created", types[0]);
        Assert.Equal("response.completed", types[^1]);
        Assert.Contains("response.output_item.done", types);
        Assert.True(result.GetProperty("usage").GetInt32() > 0);
        var prompt = UpstreamPrompts(app).Single();
        Assert.Contains("README.md", prompt, StringComparison.Ordinal); // the replayed tool output was folded
        Assert.DoesNotContain("web_search", prompt, StringComparison.Ordinal); // a hosted tool is left out, not refused
        Assert.DoesNotContain("opaque", prompt, StringComparison.Ordinal); // reasoning items are dropped
    }

    [NodeSdkFact]
    public async Task BothSdks_WrongKey_RaiseTheirAuthenticationErrorAndNothingGoesUpstream()
    {
        await using var app = await EmulatedApp.StartAsync(settings: s => s["API_KEYS"] = ClientKey);

        var result = await NodeSdk.RunAsync(app, "errors", ClientKey);

        var openai = result.GetProperty("openai");
        Assert.Equal("AuthenticationError", openai.GetProperty("name").GetString());
        Assert.Equal(401, openai.GetProperty("status").GetInt32());
        var anthropic = result.GetProperty("anthropic");
        Assert.Equal("AuthenticationError", anthropic.GetProperty("name").GetString());
        Assert.Equal("authentication_error", anthropic.GetProperty("type").GetString());
        Assert.True(result.GetProperty("models").GetInt32() > 0);
        Assert.Empty(app.Completions());
    }

    /// <summary>The text of every user message the upstream received, in order.</summary>
    private static List<string> UpstreamPrompts(EmulatedApp app) =>
        app.Emulator.Chats.SelectMany(c => c.UserMessages).Select(m => m.Content).ToList();
}
