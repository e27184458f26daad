using System.ClientModel;
using Microsoft.Extensions.AI;
using OpenAI;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Tools;

/// <summary>Microsoft.Extensions.AI's tool loop (FunctionInvokingChatClient over the OpenAI chat client) through the app.</summary>
public sealed class FunctionInvokingChatClientTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_ModelCallsACSharpTool_LoopRunsItAndReturnsTheFinalAnswer(bool streaming)
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Script.Enqueue(ScriptedAnswer.Split("Let me look.\n" + ModelToolCalls.Json("get_weather", """{"city": "Paris"}"""), 4));
        app.Emulator.Script.Enqueue("It is 21C and sunny in Paris.");
        var asked = new List<string>();
        var weather = AIFunctionFactory.Create((string city) =>
        {
            asked.Add(city);
            return $"21C and sunny in {city}";
        }, "get_weather", "Current weather of a city");

        using var client = new ChatClientBuilder(
                new global::OpenAI.Chat.ChatClient("qwen3.6-plus", new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(app.Server.BaseAddress, "api/v1") }).AsIChatClient())
            .UseFunctionInvocation()
            .Build();
        var options = new ChatOptions { Tools = [weather] };

        string text;
        if (streaming)
        {
            var updates = new List<ChatResponseUpdate>();
            await foreach (var update in client.GetStreamingResponseAsync("What is the weather in Paris?", options))
            {
                updates.Add(update);
            }

            text = updates.ToChatResponse().Messages[^1].Text;
        }
        else
        {
            text = (await client.GetResponseAsync("What is the weather in Paris?", options)).Messages[^1].Text;
        }

        Assert.Equal(["Paris"], asked);
        Assert.Equal("It is 21C and sunny in Paris.", text);
        var prompts = OpenAIToolCallSdkTests.UpstreamPrompts(app);
        Assert.Equal(2, prompts.Count);
        Assert.True(prompts[1].Contains("<tool_response>", StringComparison.Ordinal), prompts[1]);
        Assert.Contains("<tool_response>\n{\"name\":\"get_weather\",\"content\":\"21C and sunny in Paris\"}\n</tool_response>", prompts[1]);
    }
}
