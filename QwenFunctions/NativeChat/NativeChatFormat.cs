using System.Text.Json;
using QwenFunctions.Chat;
using QwenFunctions.Configuration;
using QwenFunctions.OpenAI;

namespace QwenFunctions.NativeChat;

/// <summary>
/// The seed's answer: chat.completion-like with the upstream response id, upstream usage names, and a last chunk
/// that carries usage, chatId and parentId (what the next turn needs).
/// </summary>
public sealed class NativeChatFormat(ReasoningOutput reasoning) : ChatCompletionFormat(reasoning)
{
    protected override string Id => Info.ResponseId;

    protected override void WriteChunkTrailer(Utf8JsonWriter w, bool finish)
    {
        if (finish)
        {
            w.WritePropertyName("usage");
            WriteUsage(w, Usage);
            WriteConversation(w);
        }
    }

    protected override void WriteUsage(Utf8JsonWriter w, ChatUsage usage)
    {
        w.WriteStartObject();
        w.WriteNumber("input_tokens", usage.InputTokens);
        w.WriteNumber("output_tokens", usage.OutputTokens);
        w.WriteNumber("total_tokens", usage.TotalTokens);
        w.WriteEndObject();
    }
}
