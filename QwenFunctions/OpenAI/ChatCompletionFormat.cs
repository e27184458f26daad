using System.Text.Json;
using QwenFunctions.Chat;
using QwenFunctions.Configuration;
using QwenFunctions.Http;

namespace QwenFunctions.OpenAI;

/// <summary>
/// The chat.completion wire shape shared by the OpenAI route and the seed's native /api/chat: chunks for streams,
/// one object otherwise. Subclasses say what differs (id, usage names, what the last chunks carry). One instance per
/// answer, so the id, created and model are the same in every chunk.
/// </summary>
public abstract class ChatCompletionFormat(ReasoningOutput reasoning) : IChatFormat
{
    private static readonly JsonScratch Scratch = new(ApiJson.Writer);

    private readonly ReasoningShaper _shaper = new(reasoning);
    private ChatAnswerInfo? _info;

    /// <summary>The usage seen so far in the stream (the upstream sends it before the end).</summary>
    protected ChatUsage Usage { get; private set; } = ChatUsage.Zero;

    protected ChatAnswerInfo Info => _info ?? throw new InvalidOperationException("The answer has not started.");

    public IEnumerable<SseFrame> Stream(ChatEvent ev)
    {
        switch (ev)
        {
            case ChatStarted started:
                _info = started.Answer;
                yield return Chunk(w => { w.WriteString("role", "assistant"); w.WriteString("content", ""); });
                break;
            case ChatTextDelta text:
                yield return Content(_shaper.Answer(text.Text));
                break;
            case ChatImageGenerated image:
                yield return Content(_shaper.Answer(image.Url + "\n"));
                break;
            case ChatReasoningDelta thought when _shaper.Reasoning(thought.Text) is { } shaped:
                yield return Chunk(w => w.WriteString(shaped.Field, shaped.Text));
                break;
            case ChatToolCallStarted call:
                if (_shaper.Close() is { Length: > 0 } closing)
                {
                    yield return Content(closing);
                }

                yield return Chunk(w => ToolCallDelta(w, call.Index, call.Id, call.Name, ""));
                break;
            case ChatToolCallArgumentsDelta arguments:
                yield return Chunk(w => ToolCallDelta(w, arguments.Index, null, null, arguments.Text));
                break;
            case ChatUsage usage:
                Usage = usage;
                break;
            case ChatFinished finished:
                if (_shaper.Close() is { Length: > 0 } close)
                {
                    yield return Content(close);
                }

                yield return Chunk(_ => { }, finished.Reason);
                foreach (var frame in AfterFinish())
                {
                    yield return frame;
                }

                yield return SseFrame.Done;
                break;
            case ChatFailed failed:
                // The OpenAI envelope makes SDKs raise instead of taking the truncated answer for a complete one.
                yield return new SseFrame(ApiErrorWriter.OpenAIEnvelopeJson(failed.Error));
                break;
        }
    }

    public string Whole(ChatAnswer answer)
    {
        _info = answer.Info;
        return Write(w =>
        {
            Header(w, "chat.completion");
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteStartObject("message");
            w.WriteString("role", "assistant");
            var content = answer.ImageUrls.Count == 0 ? answer.Content : string.Join("\n", answer.ImageUrls.Prepend(answer.Content).Where(s => s.Length > 0));
            if (reasoning == ReasoningOutput.ThinkTags && answer.Reasoning.Length > 0)
            {
                content = $"<think>\n{answer.Reasoning}\n</think>\n\n{content}";
            }

            if (content.Length == 0 && answer.ToolCalls.Count > 0)
            {
                w.WriteNull("content");
            }
            else
            {
                w.WriteString("content", content);
            }

            if (reasoning == ReasoningOutput.ReasoningContent && answer.Reasoning.Length > 0)
            {
                w.WriteString("reasoning_content", answer.Reasoning);
            }

            w.WriteNull("refusal");
            if (answer.ToolCalls.Count > 0)
            {
                w.WriteStartArray("tool_calls");
                foreach (var call in answer.ToolCalls)
                {
                    w.WriteStartObject();
                    w.WriteString("id", call.Id);
                    w.WriteString("type", "function");
                    w.WriteStartObject("function");
                    w.WriteString("name", call.Name);
                    w.WriteString("arguments", call.Arguments);
                    w.WriteEndObject();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
            w.WriteNull("logprobs");
            w.WriteString("finish_reason", FinishReason(answer.FinishReason));
            w.WriteEndObject();
            w.WriteEndArray();
            w.WritePropertyName("usage");
            WriteUsage(w, answer.Usage);
            WriteConversation(w);
        });
    }

    /// <summary>The answer's id in every chunk and in the whole answer.</summary>
    protected abstract string Id { get; }

    protected abstract void WriteUsage(Utf8JsonWriter w, ChatUsage usage);

    /// <summary>Fields after <c>choices</c> in a chunk; <paramref name="finish"/> is true for the chunk carrying the finish reason.</summary>
    protected abstract void WriteChunkTrailer(Utf8JsonWriter w, bool finish);

    /// <summary>Chunks between the finish chunk and [DONE].</summary>
    protected virtual IEnumerable<SseFrame> AfterFinish() => [];

    /// <summary>What the next turn needs to continue the upstream conversation (seed extension, both surfaces).</summary>
    protected void WriteConversation(Utf8JsonWriter w)
    {
        w.WriteString("response_id", Info.ResponseId);
        w.WriteString("chatId", Info.ChatId);
        w.WriteString("parentId", Info.ResponseId);
    }

    protected void Header(Utf8JsonWriter w, string type)
    {
        w.WriteString("id", Id);
        w.WriteString("object", type);
        w.WriteNumber("created", Info.CreatedUnixSeconds);
        w.WriteString("model", Info.ModelName);
        w.WriteNull("system_fingerprint");
    }

    protected static string Write(Action<Utf8JsonWriter> body) => Scratch.ToUtf16(body, static (writer, body) =>
    {
        writer.WriteStartObject();
        body(writer);
        writer.WriteEndObject();
    });

    private static string FinishReason(ChatFinishReason reason) => reason switch
    {
        ChatFinishReason.Length => "length",
        ChatFinishReason.ToolCalls => "tool_calls",
        ChatFinishReason.ContentFilter => "content_filter",
        _ => "stop",
    };

    private SseFrame Content((string Field, string Text) delta) => Chunk(w => w.WriteString(delta.Field, delta.Text));

    private SseFrame Content(string text) => Chunk(w => w.WriteString("content", text));

    private static void ToolCallDelta(Utf8JsonWriter w, int index, string? id, string? name, string arguments)
    {
        w.WriteStartArray("tool_calls");
        w.WriteStartObject();
        w.WriteNumber("index", index);
        if (id is not null)
        {
            w.WriteString("id", id);
            w.WriteString("type", "function");
        }

        w.WriteStartObject("function");
        if (name is not null)
        {
            w.WriteString("name", name);
        }

        w.WriteString("arguments", arguments);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private SseFrame Chunk(Action<Utf8JsonWriter> delta, ChatFinishReason? finish = null) => new(Write(w =>
    {
        Header(w, "chat.completion.chunk");
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("delta");
        delta(w);
        w.WriteEndObject();
        w.WriteNull("logprobs");
        if (finish is { } reason)
        {
            w.WriteString("finish_reason", FinishReason(reason));
        }
        else
        {
            w.WriteNull("finish_reason");
        }

        w.WriteEndObject();
        w.WriteEndArray();
        WriteChunkTrailer(w, finish is not null);
    }));
}
