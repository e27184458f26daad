using System.Text.Json;
using Microsoft.Extensions.Options;
using QwenFunctions.Anthropic;
using QwenFunctions.Chat.Tools;
using QwenFunctions.Chat;
using QwenFunctions.Http;

namespace QwenFunctions.Tests.Anthropic;

public sealed class MessagesConversationTests
{
    private readonly MessagesRequestReader _reader = new(new ThinkingSignature(Options.Create(new AnthropicOptions())));

    [Fact]
    public void Messages_ToolLoopHistory_BecomesToolMessagesNamedAfterTheirCalls()
    {
        var call = Read("""
        {"model":"m","max_tokens":100,"system":"Be brief.",
         "tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],
         "tool_choice":{"type":"any","disable_parallel_tool_use":true},
         "messages":[
          {"role":"user","content":"Weather in Paris and Rome?"},
          {"role":"assistant","content":[{"type":"thinking","thinking":"two calls","signature":"x"},{"type":"text","text":"Checking."},
            {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}},
            {"type":"tool_use","id":"toolu_2","name":"get_weather","input":{"city":"Rome"}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"sunny"},
            {"type":"tool_result","tool_use_id":"toolu_2","content":"no data","is_error":true},{"type":"text","text":"Thanks"}]}]}
        """);

        var messages = MessagesConversation.Messages(call);
        var tools = MessagesConversation.Tools(call);

        Assert.Equal([ChatMessage.System, ChatMessage.User, ChatMessage.Assistant, ChatMessage.Tool, ChatMessage.Tool, ChatMessage.User], messages.Select(m => m.Role));
        Assert.Equal("Checking.", messages[2].Text);
        Assert.Equal([new ToolCall("toolu_1", "get_weather", """{"city":"Paris"}"""), new ToolCall("toolu_2", "get_weather", """{"city":"Rome"}""")], messages[2].ToolCalls);
        Assert.Equal(("toolu_1", "get_weather", "sunny"), (messages[3].ToolCallId, messages[3].ToolName, messages[3].Text));
        Assert.Equal(("toolu_2", "ERROR: no data"), (messages[4].ToolCallId, messages[4].Text));
        Assert.Equal("Thanks", messages[5].Text);
        Assert.Equal(ToolChoice.Required, tools.Choice);
        Assert.False(tools.ParallelCalls);
        Assert.Equal("get_weather", Assert.Single(tools.Tools).Name);
        Assert.DoesNotContain("two calls", ConversationFolder.Fold(messages, tools).Prompt); // thinking never goes upstream
    }

    [Fact]
    public void EstimateInputTokens_GrowsWithTheFoldedPromptAndAttachments()
    {
        var plain = Read("""{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"Hello there, how are you?"}]}""");
        var withImage = Read("""{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"text","text":"Hello there, how are you?"},{"type":"image","source":{"type":"url","url":"https://example.com/a.png"}}]}]}""");

        var plainTokens = MessagesConversation.EstimateInputTokens(MessagesConversation.Messages(plain), MessagesConversation.Tools(plain));
        var imageTokens = MessagesConversation.EstimateInputTokens(MessagesConversation.Messages(withImage), MessagesConversation.Tools(withImage));

        Assert.InRange(plainTokens, 5, 10);
        Assert.Equal(plainTokens + MessagesConversation.AttachmentTokens, imageTokens);
    }

    private MessagesCall Read(string json) => _reader.Read(JsonSerializer.Deserialize<MessagesRequest>(json, ApiJson.Options)!);
}
