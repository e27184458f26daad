using System.Text.Json;
using Anthropic.Models.Messages;

namespace QwenFunctions.Tests.Anthropic;

/// <summary>Request pieces the Anthropic SDK tests build the way clients do.</summary>
internal static class AnthropicSdkRequests
{
    public static MessageCreateParams Params(string text) => new()
    {
        Model = "claude-sonnet-4-5",
        MaxTokens = 1024,
        Messages = [new UserMessageParam(text)],
    };

    /// <summary>The assistant turn as a client sends it back: the answered content blocks, verbatim.</summary>
    public static MessageParam Replay(Message message) => JsonSerializer.Deserialize<MessageParam>(
        JsonSerializer.Serialize(new { role = "assistant", content = JsonSerializer.SerializeToElement(message.Content) }))!;

    public static ToolUnion Tool(string name) => JsonSerializer.Deserialize<ToolUnion>(
        $$$"""{"name":"{{{name}}}","description":"Current weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}""")!;
}
