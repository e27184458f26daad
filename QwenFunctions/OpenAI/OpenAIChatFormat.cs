using System.Text.Json;
using QwenFunctions.Chat;
using QwenFunctions.Configuration;
using QwenFunctions.Http;

namespace QwenFunctions.OpenAI;

/// <summary>OpenAI chat completions: <c>chatcmpl-</c> ids, OpenAI usage names, and the stream_options.include_usage chunk.</summary>
public sealed class OpenAIChatFormat(bool includeUsage, ReasoningOutput reasoning) : ChatCompletionFormat(reasoning)
{
    private (string ResponseId, string Id) _id = ("", "");

    // Once per answer, not once per chunk.
    protected override string Id => _id.ResponseId == Info.ResponseId && _id.Id.Length > 0 ? _id.Id : (_id = (Info.ResponseId, "chatcmpl-" + Info.ResponseId)).Id;

    protected override void WriteChunkTrailer(Utf8JsonWriter w, bool finish)
    {
        if (includeUsage)
        {
            w.WriteNull("usage");
        }
    }

    /// <summary>The include_usage chunk: no choices, the full usage.</summary>
    protected override IEnumerable<SseFrame> AfterFinish()
    {
        if (!includeUsage)
        {
            yield break;
        }

        yield return new SseFrame(Write(w =>
        {
            Header(w, "chat.completion.chunk");
            w.WriteStartArray("choices");
            w.WriteEndArray();
            w.WritePropertyName("usage");
            WriteUsage(w, Usage);
        }));
    }

    protected override void WriteUsage(Utf8JsonWriter w, ChatUsage usage)
    {
        w.WriteStartObject();
        w.WriteNumber("prompt_tokens", usage.InputTokens);
        w.WriteNumber("completion_tokens", usage.OutputTokens);
        w.WriteNumber("total_tokens", usage.TotalTokens);
        w.WriteStartObject("prompt_tokens_details");
        w.WriteNumber("cached_tokens", usage.CachedTokens);
        w.WriteEndObject();
        w.WriteStartObject("completion_tokens_details");
        w.WriteNumber("reasoning_tokens", usage.ReasoningTokens);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
