using System.Buffers;
using System.Text;
using System.Text.Json;
using QwenFunctions.Http;

namespace QwenFunctions.Anthropic;

/// <summary>
/// The JSON of one answer in the Messages API's shapes: the whole <c>message</c> object, or the stream's events
/// (name + data). One instance per answer, so the id and model are the same everywhere.
/// </summary>
public sealed class MessageJson(string id, string model)
{
    public string Id { get; } = id;

    public (string Event, string Data) MessageStart(int inputTokensEstimate) => ("message_start", Write(w =>
    {
        w.WriteString("type", "message_start");
        w.WriteStartObject("message");
        Header(w);
        w.WriteStartArray("content");
        w.WriteEndArray();
        w.WriteNull("stop_reason");
        w.WriteNull("stop_sequence");
        // An estimate now (clients size their context meter from it; 0 breaks auto-compaction), the real totals at the end.
        Usage(w, new AnswerUsage(inputTokensEstimate, 1, 0));
        w.WriteEndObject();
    }));

    public (string Event, string Data) Frame(BlockFrame frame) => frame switch
    {
        BlockStarted started => ("content_block_start", Write(w =>
        {
            w.WriteString("type", "content_block_start");
            w.WriteNumber("index", started.Index);
            w.WritePropertyName("content_block");
            // Blocks start empty: their content follows as deltas.
            Block(w, started.Block, empty: true);
        })),
        BlockStopped stopped => ("content_block_stop", Write(w =>
        {
            w.WriteString("type", "content_block_stop");
            w.WriteNumber("index", stopped.Index);
        })),
        _ => ("content_block_delta", Write(w =>
        {
            w.WriteString("type", "content_block_delta");
            w.WriteNumber("index", frame.Index);
            w.WriteStartObject("delta");
            switch (frame)
            {
                case TextDelta text:
                    w.WriteString("type", "text_delta");
                    w.WriteString("text", text.Text);
                    break;
                case ThinkingDelta thinking:
                    w.WriteString("type", "thinking_delta");
                    w.WriteString("thinking", thinking.Thinking);
                    break;
                case SignatureDelta signature:
                    w.WriteString("type", "signature_delta");
                    w.WriteString("signature", signature.Signature);
                    break;
                case InputJsonDelta input:
                    w.WriteString("type", "input_json_delta");
                    w.WriteString("partial_json", input.PartialJson);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(frame), frame.GetType().Name, "Unknown block frame.");
            }

            w.WriteEndObject();
        })),
    };

    /// <summary>The end of a stream's message: stop reason and the cumulative usage (input included, which clients take as final).</summary>
    public (string Event, string Data) MessageDelta(MessageAssembler answer, AnswerUsage usage) => ("message_delta", Write(w =>
    {
        w.WriteString("type", "message_delta");
        w.WriteStartObject("delta");
        StopFields(w, answer);
        w.WriteEndObject();
        Usage(w, usage);
    }));

    public static (string Event, string Data) MessageStop() => ("message_stop", """{"type":"message_stop"}""");

    public static (string Event, string Data) Ping() => ("ping", """{"type":"ping"}""");

    /// <summary>The in-band failure of a started stream; it is never followed by message_stop.</summary>
    public static (string Event, string Data) Error(ApiException error) => ("error", AnthropicErrorBody.Json(error, requestId: null));

    public string Message(MessageAssembler answer, AnswerUsage usage) => Write(w =>
    {
        Header(w);
        w.WriteStartArray("content");
        foreach (var block in answer.Content)
        {
            Block(w, block, empty: false);
        }

        w.WriteEndArray();
        StopFields(w, answer);
        Usage(w, usage);
    });

    private void Header(Utf8JsonWriter w)
    {
        w.WriteString("id", Id);
        w.WriteString("type", "message");
        w.WriteString("role", "assistant");
        w.WriteString("model", model);
    }

    private static void StopFields(Utf8JsonWriter w, MessageAssembler answer)
    {
        w.WriteString("stop_reason", answer.StopReason ?? "end_turn");
        if (answer.StopSequence is { } sequence)
        {
            w.WriteString("stop_sequence", sequence);
        }
        else
        {
            w.WriteNull("stop_sequence");
        }
    }

    private static void Block(Utf8JsonWriter w, ContentBlock block, bool empty)
    {
        w.WriteStartObject();
        switch (block)
        {
            case ThinkingBlock thinking:
                w.WriteString("type", "thinking");
                w.WriteString("thinking", empty ? "" : thinking.Thinking.ToString());
                w.WriteString("signature", empty ? "" : thinking.Signature);
                break;
            case TextBlock text:
                w.WriteString("type", "text");
                w.WriteString("text", empty ? "" : text.Text.ToString());
                break;
            case ToolUseBlock tool:
                w.WriteString("type", "tool_use");
                w.WriteString("id", tool.Id);
                w.WriteString("name", tool.Name);
                w.WritePropertyName("input");
                if (empty)
                {
                    w.WriteStartObject();
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteRawValue(tool.InputJson);
                }

                break;
        }

        w.WriteEndObject();
    }

    private static void Usage(Utf8JsonWriter w, AnswerUsage usage)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", usage.InputTokens);
        w.WriteNumber("output_tokens", usage.OutputTokens);
        w.WriteNumber("cache_creation_input_tokens", 0);
        w.WriteNumber("cache_read_input_tokens", usage.CacheReadInputTokens);
        w.WriteEndObject();
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, ApiJson.Writer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
