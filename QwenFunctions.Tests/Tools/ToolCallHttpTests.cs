using System.Net;
using System.Text.Json;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Tools;

/// <summary>Tool calling on the wire: chat completions and native /api/chat, in-band failures, no secret in answers.</summary>
public sealed class ToolCallHttpTests
{
    private const string WeatherTool = """{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}""";

    [Fact]
    public async Task Stream_ToolCall_DeltasCarryIndexIdTypeNameThenArgumentsAndFinishToolCalls()
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Script.Enqueue("<tool_", "call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>");

        var data = await StreamAsync(app, "v1/chat/completions", $$"""{"stream":true,"messages":[{"role":"user","content":"Weather?"}],"tools":[{{WeatherTool}}]}""");

        Assert.Equal("[DONE]", data[^1]);
        var deltas = data.SkipLast(1).Select(SseClient.Json).Select(c => c.GetProperty("choices")[0]).ToList();
        var calls = deltas.Where(d => d.GetProperty("delta").TryGetProperty("tool_calls", out _)).Select(d => d.GetProperty("delta").GetProperty("tool_calls")[0]).ToList();
        var first = calls[0];
        Assert.Equal(0, first.GetProperty("index").GetInt32());
        Assert.StartsWith("call_", first.GetProperty("id").GetString());
        Assert.Equal("function", first.GetProperty("type").GetString());
        Assert.Equal("get_weather", first.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("""{"city":"Paris"}""", string.Concat(calls.Select(c => c.GetProperty("function").TryGetProperty("arguments", out var a) ? a.GetString() : "")));
        Assert.Equal("tool_calls", deltas.Last(d => d.GetProperty("finish_reason").ValueKind == JsonValueKind.String).GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Stream_RequiredChoiceEndedWithoutACall_EndsWithTheInBandErrorAndNoDone()
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Script.Enqueue("I would rather not.");

        var data = await StreamAsync(app, "v1/chat/completions",
            $$"""{"stream":true,"messages":[{"role":"user","content":"Weather?"}],"tools":[{{WeatherTool}}],"tool_choice":"required"}""");

        Assert.DoesNotContain("[DONE]", data);
        var error = SseClient.Json(data[^1]).GetProperty("error");
        Assert.Equal("tool_call_missing", error.GetProperty("code").GetString());
        Assert.Contains("tool", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Complete_Tools_AreNoLongerReportedAsIgnored()
    {
        await using var app = await EmulatedApp.StartAsync();

        using var response = await app.PostAsync("api/v1/chat/completions",
            $$"""{"messages":[{"role":"user","content":"hi"}],"tools":[{{WeatherTool}}],"max_tokens":5}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ignored = response.Headers.GetValues("x-qwen-ignored-params").Single();
        Assert.DoesNotContain("tools", ignored);
        Assert.Contains("max_tokens", ignored);
    }

    [Fact]
    public async Task Complete_NamedChoiceOfAnUnknownTool_Is400NamingTools()
    {
        await using var app = await EmulatedApp.StartAsync();

        using var response = await app.PostAsync("api/v1/chat/completions",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[" + WeatherTool + "],\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"nope\"}}}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("tools", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("param").GetString());
        Assert.Empty(app.Emulator.Chats);
    }

    [Fact]
    public async Task Complete_ToolCallTextInReasoning_StaysReasoning()
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Script.Enqueue(new ScriptedAnswer(["Sunny."]) { Thoughts = [ModelToolCalls.Json("get_weather", """{"city":"Paris"}""")] });

        using var response = await app.PostAsync("api/v1/chat/completions",
            $$"""{"model":"qwen3.6-plus-thinking","messages":[{"role":"user","content":"Weather?"}],"tools":[{{WeatherTool}}]}""");
        var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("choices")[0];

        Assert.Equal("stop", message.GetProperty("finish_reason").GetString());
        Assert.False(message.GetProperty("message").TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array && calls.GetArrayLength() > 0);
        Assert.Contains("<tool_call>", message.GetProperty("message").GetProperty("reasoning_content").GetString());
        Assert.Equal("Sunny.", message.GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task NativeChat_Tools_AnswerTheSameToolCallsAndFoldResults()
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Script.Enqueue(ModelToolCalls.Json("get_weather", """{"city":"Paris"}"""));

        using var response = await app.PostAsync("api/chat", $$"""{"messages":[{"role":"user","content":"Weather?"}],"tools":[{{WeatherTool}}]}""");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        var call = choice.GetProperty("message").GetProperty("tool_calls")[0];
        Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("""{"city":"Paris"}""", call.GetProperty("function").GetProperty("arguments").GetString());

        // The result goes back in the same chat: only the new part, with the tools again.
        app.Emulator.Script.Enqueue("21C.");
        var id = call.GetProperty("id").GetString();
        var history = "[{\"role\":\"user\",\"content\":\"Weather?\"},"
            + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"" + id + "\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
            + "{\"role\":\"tool\",\"tool_call_id\":\"" + id + "\",\"content\":\"21C\"}]";
        using var next = await app.PostAsync("api/chat", $$"""
            {"chatId":"{{body.GetProperty("chatId").GetString()}}","parentId":"{{body.GetProperty("parentId").GetString()}}","tools":[{{WeatherTool}}],"messages":{{history}}}
            """);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        var sent = app.Emulator.Chats.Single().UserMessages[^1].Content;
        Assert.StartsWith("<system-instructions>\n# Tools", sent);
        Assert.EndsWith("<tool_response>\n{\"name\":\"get_weather\",\"content\":\"21C\"}\n</tool_response>", sent);
        Assert.DoesNotContain("Weather?", sent);
    }

    [Fact]
    public async Task NativeChat_StreamedToolCall_FinalChunkCarriesToolCallsFinishAndSession()
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Script.Enqueue(ModelToolCalls.Json("get_weather", """{"city":"Paris"}"""));

        var data = await StreamAsync(app, "api/chat", $$"""{"stream":true,"message":"Weather?","tools":[{{WeatherTool}}]}""", prefix: "");

        Assert.Equal("[DONE]", data[^1]);
        var chunks = data.SkipLast(1).Select(SseClient.Json).ToList();
        Assert.Contains(chunks, c => c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("tool_calls", out _));
        var final = chunks.Last();
        Assert.Equal("tool_calls", final.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.True(final.TryGetProperty("chatId", out _));
    }

    [Fact]
    public async Task ToolCallAnswers_NeverCarryAToken()
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Script.Enqueue(ModelToolCalls.Json("get_weather", """{"city":"Paris"}"""));
        app.Emulator.Script.Enqueue(ModelToolCalls.Json("get_weather", """{"city":"Paris"}"""));
        app.Emulator.Script.Enqueue("prose");

        var bodies = new List<string>
        {
            await (await app.PostAsync("api/v1/chat/completions", $$"""{"messages":[{"role":"user","content":"w"}],"tools":[{{WeatherTool}}]}""")).Content.ReadAsStringAsync(),
            string.Join("\n", await StreamAsync(app, "v1/chat/completions", $$"""{"stream":true,"messages":[{"role":"user","content":"w"}],"tools":[{{WeatherTool}}]}""")),
            string.Join("\n", await StreamAsync(app, "v1/chat/completions", $$"""{"stream":true,"messages":[{"role":"user","content":"w"}],"tools":[{{WeatherTool}}],"tool_choice":"required"}""")),
        };

        Assert.All(bodies, b => Assert.DoesNotContain(app.Accounts[0].Token, b));
        Assert.All(bodies, b => Assert.DoesNotContain("token-a-", b));
    }

    private static async Task<List<string>> StreamAsync(EmulatedApp app, string path, string body, string prefix = "api/")
    {
        using var response = await app.PostAsync(prefix + path, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var sse = new SseClient(await response.Content.ReadAsStreamAsync());
        return (await sse.ReadAllAsync()).Where(i => !i.StartsWith(':')).ToList();
    }
}
