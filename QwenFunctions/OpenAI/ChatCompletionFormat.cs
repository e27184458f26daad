using System.Buffers;
using System.Text;
using System.Text.Json;
using QwenFunctions.Chat;
using QwenFunctions.Configuration;
using QwenFunctions.Upstream;

namespace QwenFunctions.OpenAI;

/// <summary>OpenAI answers, or the seed's native shape (chat.completion-like + chatId/parentId, upstream usage names).</summary>
public enum ChatOutputStyle
{
    OpenAI,
    Native,
}

/// <summary>
/// Builds the JSON of one answer: chunks for streams, one object otherwise. One instance per answer, so the id,
/// created and model are the same in every chunk.
/// </summary>
public sealed class ChatCompletionFormat(ChatOutputStyle style, ChatSession session, string modelName, bool includeUsage, long created)
{
    public string Id { get; } = style == ChatOutputStyle.OpenAI ? "chatcmpl-" + session.ResponseId : session.ResponseId;

    public string RoleChunk() => Chunk(w => { w.WriteString("role", "assistant"); w.WriteString("content", ""); }, null, null);

    public string DeltaChunk(string field, string text) => Chunk(w => w.WriteString(field, text), null, null);

    public string FinishChunk(QwenUsage? usage) => Chunk(_ => { }, "stop", style == ChatOutputStyle.Native ? usage ?? Zero : null);

    /// <summary>The stream_options.include_usage chunk: no choices, the full usage.</summary>
    public string UsageChunk(QwenUsage? usage) => Write(w =>
    {
        Header(w, "chat.completion.chunk");
        w.WriteStartArray("choices");
        w.WriteEndArray();
        w.WritePropertyName("usage");
        Usage(w, usage ?? Zero);
    });

    public string Completion(ChatAnswer answer, ReasoningOutput reasoning) => Write(w =>
    {
        Header(w, "chat.completion");
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("message");
        w.WriteString("role", "assistant");
        var content = string.Join("\n", answer.ImageUrls.Prepend(answer.Content).Where(s => s.Length > 0));
        if (reasoning == ReasoningOutput.ThinkTags && answer.Reasoning.Length > 0)
        {
            content = $"<think>\n{answer.Reasoning}\n</think>\n\n{content}";
        }

        w.WriteString("content", content);
        if (reasoning == ReasoningOutput.ReasoningContent && answer.Reasoning.Length > 0)
        {
            w.WriteString("reasoning_content", answer.Reasoning);
        }

        w.WriteNull("refusal");
        w.WriteEndObject();
        w.WriteNull("logprobs");
        w.WriteString("finish_reason", "stop");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WritePropertyName("usage");
        Usage(w, answer.Usage ?? Zero);
        Session(w);
    });

    private static readonly QwenUsage Zero = new(0, 0, 0, 0, 0);

    private string Chunk(Action<Utf8JsonWriter> delta, string? finishReason, QwenUsage? nativeUsage) => Write(w =>
    {
        Header(w, "chat.completion.chunk");
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("delta");
        delta(w);
        w.WriteEndObject();
        w.WriteNull("logprobs");
        if (finishReason is null)
        {
            w.WriteNull("finish_reason");
        }
        else
        {
            w.WriteString("finish_reason", finishReason);
        }

        w.WriteEndObject();
        w.WriteEndArray();
        if (includeUsage && style == ChatOutputStyle.OpenAI)
        {
            w.WriteNull("usage");
        }

        if (nativeUsage is not null)
        {
            // Native streams end with what the next turn needs (documented in the README of the chat routes).
            w.WritePropertyName("usage");
            Usage(w, nativeUsage);
            Session(w);
        }
    });

    private void Header(Utf8JsonWriter w, string type)
    {
        w.WriteString("id", Id);
        w.WriteString("object", type);
        w.WriteNumber("created", created);
        w.WriteString("model", modelName);
        w.WriteNull("system_fingerprint");
    }

    private void Session(Utf8JsonWriter w)
    {
        w.WriteString("response_id", session.ResponseId);
        w.WriteString("chatId", session.ChatId);
        w.WriteString("parentId", session.ResponseId);
    }

    private void Usage(Utf8JsonWriter w, QwenUsage usage)
    {
        w.WriteStartObject();
        if (style == ChatOutputStyle.Native)
        {
            w.WriteNumber("input_tokens", usage.InputTokens);
            w.WriteNumber("output_tokens", usage.OutputTokens);
            w.WriteNumber("total_tokens", usage.TotalTokens);
        }
        else
        {
            w.WriteNumber("prompt_tokens", usage.InputTokens);
            w.WriteNumber("completion_tokens", usage.OutputTokens);
            w.WriteNumber("total_tokens", usage.TotalTokens);
            w.WriteStartObject("prompt_tokens_details");
            w.WriteNumber("cached_tokens", usage.CachedTokens);
            w.WriteEndObject();
            w.WriteStartObject("completion_tokens_details");
            w.WriteNumber("reasoning_tokens", usage.ReasoningTokens);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, OpenAiJson.Writer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
