using System.Text.Json;
using QwenFunctions.Chat;
using QwenFunctions.Chat.Tools;
using QwenFunctions.OpenAI;

namespace QwenFunctions.Tests.OpenAI;

/// <summary>The parts of an agent's request the pipeline carries for the tool-call prompt: tools, choice and the tool history.</summary>
public sealed class ChatCompletionReaderTests
{
    [Fact]
    public void Read_ToolsChoiceAndToolHistory_ReachTheTurn()
    {
        var request = JsonSerializer.Deserialize<ChatCompletionRequest>("""
            {"model":"qwen3-max","parallel_tool_calls":false,"tool_choice":"auto",
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather now","parameters":{"type":"object"}}}],
             "messages":[{"role":"user","content":"Weather in Paris?"},
                         {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
                         {"role":"tool","tool_call_id":"call_1","content":"18C"}]}
            """, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!;

        var turn = ChatCompletionReader.Read(request).Turn;

        var tool = Assert.Single(turn.Tools.Tools);
        Assert.Equal("get_weather", tool.Name);
        Assert.Equal("Weather now", tool.Description);
        Assert.Equal(ToolChoiceMode.Auto, turn.Tools.Choice.Mode);
        Assert.Equal("object", (string?)tool.Parameters!["type"]);
        Assert.False(turn.Tools.ParallelCalls);
        Assert.Equal(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"), Assert.Single(turn.Messages[1].ToolCalls));
        Assert.Equal("call_1", turn.Messages[2].ToolCallId);
        Assert.Equal(ChatMessage.Tool, turn.Messages[2].Role);
    }
}
