using System.Net;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.OpenAI;

/// <summary>A non-streaming answer has sent nothing to the client yet, so a broken-off upstream answer is asked for again.</summary>
public sealed class ChatCompletionsRetryTests
{
    [Fact]
    public async Task Complete_UpstreamCutsTheAnswerOnce_AnswersInFullFromASecondChat()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        app.Emulator.Faults.Enqueue(Fault.CutAfter(1), endpoint: EmulatorEndpoint.TextCompletion);

        var (response, body) = await app.PostJsonAsync("api/v1/chat/completions", new { messages = new[] { new { role = "user", content = "tell me" } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Echo: tell me", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(2, app.Completions().Count);
        Assert.Equal(2, app.Emulator.Chats.Count);
    }

    [Fact]
    public async Task Complete_UpstreamCutsTwice_Answers502RatherThanAPartialAnswer()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        app.Emulator.Faults.Enqueue(Fault.CutAfter(1), endpoint: EmulatorEndpoint.TextCompletion);
        app.Emulator.Faults.Enqueue(Fault.CutAfter(1), endpoint: EmulatorEndpoint.TextCompletion);

        var (response, body) = await app.PostJsonAsync("api/v1/chat/completions", new { messages = new[] { new { role = "user", content = "tell me" } } });

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("upstream_stream_interrupted", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(2, app.Completions().Count);
    }
}
