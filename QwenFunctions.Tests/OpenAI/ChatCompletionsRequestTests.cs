using System.Net;
using System.Text.Json;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.OpenAI;

/// <summary>What the chat-completions route accepts, rejects, and sends upstream (non-streaming).</summary>
public sealed class ChatCompletionsRequestTests
{
    [Fact]
    public async Task Complete_PlainRequest_ReturnsChatCompletionShape()
    {
        await using var app = await EmulatedApp.StartAsync();

        var (response, body) = await app.PostJsonAsync("api/v1/chat/completions", new { model = "qwen3.6-plus", messages = new[] { User("hi") } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        Assert.StartsWith("chatcmpl-", body.GetProperty("id").GetString());
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal("Echo: hi", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        var usage = body.GetProperty("usage");
        Assert.True(usage.GetProperty("prompt_tokens").GetInt32() > 0);
        Assert.True(usage.GetProperty("completion_tokens").GetInt32() > 0);
        Assert.Equal(0, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt32());
        Assert.Equal(app.Emulator.Chats.Single().Id, body.GetProperty("chatId").GetString());
    }

    [Fact]
    public async Task Complete_NGreaterThanOne_Returns400WithParamN()
    {
        await using var app = await EmulatedApp.StartAsync();

        var (response, body) = await app.PostJsonAsync("api/v1/chat/completions", new { n = 2, messages = new[] { User("hi") } });

        AssertError(response, body, HttpStatusCode.BadRequest, "n");
        Assert.Empty(app.Emulator.Requests);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(2.5)]
    public async Task Complete_TemperatureOutOfRange_Returns400WithParamTemperature(double temperature)
    {
        await using var app = await EmulatedApp.StartAsync();

        var (response, body) = await app.PostJsonAsync("api/v1/chat/completions", new { temperature, messages = new[] { User("hi") } });

        AssertError(response, body, HttpStatusCode.BadRequest, "temperature");
    }

    [Theory]
    [InlineData("\"sometimes\"", "tool_choice")]
    [InlineData("{\"type\":\"function\",\"function\":{\"name\":\"not_a_tool\"}}", "tools")]
    public async Task Complete_ToolChoiceThatCannotBeHonoured_Returns400BeforeAnyUpstreamCall(string toolChoice, string param)
    {
        await using var app = await EmulatedApp.StartAsync();

        var (response, body) = await app.PostJsonAsync("api/v1/chat/completions",
            $$"""{"messages":[{"role":"user","content":"weather?"}],"tools":[{{Tool}}],"tool_choice":{{toolChoice}}}""");

        AssertError(response, body, HttpStatusCode.BadRequest, param);
        Assert.Empty(app.Emulator.Requests);
    }

    [Fact]
    public async Task Complete_UnknownAndOptionalParams_AreAccepted()
    {
        await using var app = await EmulatedApp.StartAsync();

        var (response, _) = await app.PostJsonAsync("api/v1/chat/completions",
            """{"messages":[{"role":"user","content":"hi"}],"seed":7,"user":"u1","metadata":{"a":"b"},"store":false,"parallel_tool_calls":true,"stream_options":{"include_usage":true},"max_completion_tokens":20,"prompt_cache_key":"k","logit_bias":{}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Complete_StatelessHistory_FoldsSystemDeveloperAndEarlierTurnsIntoOneMessage()
    {
        await using var app = await EmulatedApp.StartAsync();

        var (response, _) = await app.PostJsonAsync("api/v1/chat/completions", new
        {
            messages = new object[]
            {
                new { role = "system", content = "Be terse." },
                new { role = "developer", content = "Answer in English." },
                User("What is the capital of France?"),
                new { role = "assistant", content = "Paris." },
                new { role = "user", content = new object[] { new { type = "text", text = "And of" }, new { type = "text", text = "Italy?" } } },
            },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = app.Emulator.Chats.Single().UserMessages.Single().Content;
        Assert.StartsWith("<system-instructions>\nBe terse.\n\nAnswer in English.\n</system-instructions>", sent);
        Assert.Contains("User: What is the capital of France?", sent);
        Assert.Contains("Assistant: Paris.", sent);
        Assert.EndsWith("</conversation-history>\n\nAnd of\nItaly?", sent);
    }

    [Fact]
    public async Task Complete_HistoryOverUpstreamLimit_Returns400ContextLengthExceededWithoutCallingUpstream()
    {
        await using var app = await EmulatedApp.StartAsync(settings: s => s["Proxy:MaxUpstreamMessageBytes"] = "4096");

        var (response, body) = await app.PostJsonAsync("api/v1/chat/completions", new { messages = new[] { User(new string('x', 5000)) } });

        AssertError(response, body, HttpStatusCode.BadRequest, "messages");
        Assert.Equal("context_length_exceeded", body.GetProperty("error").GetProperty("code").GetString());
        Assert.DoesNotContain(app.Emulator.Requests, r => r.Path.StartsWith("/api/v2/chat", StringComparison.Ordinal)); // only the model list was read
    }

    [Fact]
    public async Task Complete_ImageDataUriPart_IsUploadedAndAttachedToTheUpstreamMessage()
    {
        await using var app = await EmulatedApp.StartAsync();
        const string onePixelPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

        var (response, body) = await app.PostJsonAsync("api/v1/chat/completions", new
        {
            messages = new[] { new { role = "user", content = new object[] { new { type = "text", text = "what is this?" }, new { type = "image_url", image_url = new { url = "data:image/png;base64," + onePixelPng } } } } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var upload = Assert.Single(app.Emulator.Uploads);
        Assert.Equal(Convert.FromBase64String(onePixelPng), upload.Content);
        var message = app.Emulator.Chats.Single().UserMessages.Single();
        Assert.Contains("what is this?", message.Content);
        Assert.Single(message.Files);
    }

    [Fact]
    public async Task Complete_AliasRouteWithoutV1_AnswersWithOpenAIErrorEnvelope()
    {
        await using var app = await EmulatedApp.StartAsync();

        var (ok, okBody) = await app.PostJsonAsync("api/chat/completions", new { messages = new[] { User("alias") } });
        var (bad, badBody) = await app.PostJsonAsync("api/chat/completions", new { messages = Array.Empty<object>() });

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("Echo: alias", okBody.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        AssertError(bad, badBody, HttpStatusCode.BadRequest, "messages");
    }

    [Fact]
    public async Task Complete_InvalidJson_Returns400OpenAIEnvelope()
    {
        await using var app = await EmulatedApp.StartAsync();

        var (response, body) = await app.PostJsonAsync("api/v1/chat/completions", "{\"messages\": [");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", body.GetProperty("error").GetProperty("type").GetString());
    }

    private const string Tool = """{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{}}}}""";

    private static object User(string content) => new { role = "user", content };

    private static void AssertError(HttpResponseMessage response, JsonElement body, HttpStatusCode status, string param)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.True(response.Headers.Contains("x-request-id"));
        var error = body.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
    }
}
