using System.Buffers;
using System.Text;
using System.Text.Json;
using QwenFunctions.Http;

namespace QwenFunctions.Responses;

/// <summary>
/// Turns an answer into the Responses event sequence and builds the response object as it goes. The order is what
/// clients enforce (openai-node's accumulator, Codex's turn loop): <c>response.created</c> then one
/// <c>response.in_progress</c>; every item is added before its first delta and done before the next one is added;
/// <c>output_index</c> is append-only and <c>item_id</c> is the item's id; exactly one terminal event
/// (<c>response.completed</c> with the whole output and usage, or <c>response.failed</c>). Every event carries
/// <c>sequence_number</c>, from 0.
/// </summary>
/// <param name="emit">Receives each event (type, JSON); null for a whole response, where only the object matters.</param>
public sealed class ResponseEventWriter(ResponseObject response, Action<string, string>? emit = null)
{
    private readonly StringBuilder _text = new();
    private ResponseOutputItem? _open;
    private int _sequence;
    private bool _ended;

    public ResponseObject Response => response;

    public void Start()
    {
        response.Status = "in_progress";
        Emit("response.created", w => Property(w, "response", response));
        Emit("response.in_progress", w => Property(w, "response", response));
    }

    public void Reasoning(string delta) =>
        Delta(delta, static () => new ResponseReasoningItem { Id = ResponseIds.New(ResponseIds.Reasoning) },
            "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta", "summary_index", EmptySummary, logprobs: false);

    public void Text(string delta) =>
        Delta(delta, static () => new ResponseMessageItem { Id = ResponseIds.New(ResponseIds.Message) },
            "response.content_part.added", "response.output_text.delta", "content_index", EmptyOutputText, logprobs: true);

    private static readonly ResponseSummaryText EmptySummary = new("");
    private static readonly ResponseOutputText EmptyOutputText = new("");

    /// <summary>
    /// Appends a text delta to the open item of <typeparamref name="TItem"/>'s kind, first opening one (the item, then
    /// its empty part) when another kind is open. Output text carries an empty <c>logprobs</c>, which the SDKs read.
    /// </summary>
    private void Delta<TItem, TPart>(string delta, Func<TItem> create, string partAdded, string deltaType, string index,
        TPart emptyPart, bool logprobs) where TItem : ResponseOutputItem
    {
        if (delta.Length == 0)
        {
            return;
        }

        if (_open is not TItem item)
        {
            CloseOpen();
            item = create();
            Add(item);
            Emit(partAdded, w =>
            {
                ItemRef(w, item);
                w.WriteNumber(index, 0);
                Property(w, "part", emptyPart);
            });
        }

        _text.Append(delta);
        Emit(deltaType, w =>
        {
            ItemRef(w, item);
            w.WriteNumber(index, 0);
            w.WriteString("delta", delta);
            if (logprobs)
            {
                w.WriteStartArray("logprobs");
                w.WriteEndArray();
            }
        });
    }

    /// <summary>Opens a call item. <paramref name="custom"/>: a freeform tool, whose input is raw text rather than JSON.</summary>
    public void ToolCallStarted(string callId, string name, bool custom)
    {
        CloseOpen();
        ResponseOutputItem item = custom
            ? new ResponseCustomToolCallItem { Id = ResponseIds.New(ResponseIds.CustomToolCall), CallId = callId, Name = name }
            : new ResponseFunctionCallItem { Id = ResponseIds.New(ResponseIds.FunctionCall), CallId = callId, Name = name };
        Add(item);
    }

    public void ToolCallArguments(string delta)
    {
        if (delta.Length == 0 || _open is not (ResponseFunctionCallItem or ResponseCustomToolCallItem))
        {
            return;
        }

        _text.Append(delta);
        var type = _open is ResponseCustomToolCallItem ? "response.custom_tool_call_input.delta" : "response.function_call_arguments.delta";
        var item = _open;
        Emit(type, w =>
        {
            ItemRef(w, item);
            w.WriteString("delta", delta);
        });
    }

    /// <summary>Closes the open call; <paramref name="arguments"/> (JSON for a function, raw input for a custom tool) is authoritative.</summary>
    public void ToolCallCompleted(string? arguments)
    {
        if (_open is ResponseFunctionCallItem or ResponseCustomToolCallItem)
        {
            if (arguments is not null)
            {
                _text.Clear().Append(arguments);
            }

            CloseOpen();
        }
    }

    public void Complete(ResponseUsage usage)
    {
        if (_ended)
        {
            return;
        }

        CloseOpen();
        _ended = true;
        response.Status = "completed";
        response.Usage = usage;
        Emit("response.completed", w => Property(w, "response", response));
    }

    /// <summary>
    /// The in-band end of a stream that failed after it started: an <c>error</c> event (flat fields for openai-python,
    /// a nested <c>error</c> for openai-node), then <c>response.failed</c>; never <c>response.completed</c>.
    /// </summary>
    public void Fail(string code, string message, string type, string? param)
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        response.Status = "failed";
        response.Error = new ResponseError(code, message);
        Emit("error", w =>
        {
            w.WriteString("code", code);
            w.WriteString("message", message);
            WriteNullable(w, "param", param);
            w.WriteStartObject("error");
            w.WriteString("type", type);
            w.WriteString("code", code);
            w.WriteString("message", message);
            WriteNullable(w, "param", param);
            w.WriteEndObject();
        });
        Emit("response.failed", w => Property(w, "response", response));
    }

    private void Add(ResponseOutputItem item)
    {
        response.Output.Add(item);
        _open = item;
        _text.Clear();
        Emit("response.output_item.added", w =>
        {
            w.WriteNumber("output_index", response.Output.Count - 1);
            Property<ResponseOutputItem>(w, "item", item);
        });
    }

    private void CloseOpen()
    {
        var item = _open;
        if (item is null)
        {
            return;
        }

        _open = null;
        var text = _text.ToString();
        _text.Clear();
        switch (item)
        {
            case ResponseReasoningItem reasoning:
                Emit("response.reasoning_summary_text.done", w =>
                {
                    ItemRef(w, item);
                    w.WriteNumber("summary_index", 0);
                    w.WriteString("text", text);
                });
                reasoning.Summary.Add(new ResponseSummaryText(text));
                Emit("response.reasoning_summary_part.done", w =>
                {
                    ItemRef(w, item);
                    w.WriteNumber("summary_index", 0);
                    Property(w, "part", reasoning.Summary[0]);
                });
                break;
            case ResponseMessageItem message:
                Emit("response.output_text.done", w =>
                {
                    ItemRef(w, item);
                    w.WriteNumber("content_index", 0);
                    w.WriteString("text", text);
                    w.WriteStartArray("logprobs");
                    w.WriteEndArray();
                });
                message.Content.Add(new ResponseOutputText(text));
                message.Status = "completed";
                Emit("response.content_part.done", w =>
                {
                    ItemRef(w, item);
                    w.WriteNumber("content_index", 0);
                    Property(w, "part", message.Content[0]);
                });
                break;
            case ResponseFunctionCallItem call:
                call.Arguments = text;
                call.Status = "completed";
                Emit("response.function_call_arguments.done", w =>
                {
                    ItemRef(w, item);
                    w.WriteString("name", call.Name);
                    w.WriteString("arguments", text);
                });
                break;
            case ResponseCustomToolCallItem custom:
                custom.Input = text;
                Emit("response.custom_tool_call_input.done", w =>
                {
                    ItemRef(w, item);
                    w.WriteString("input", text);
                });
                break;
        }

        Emit("response.output_item.done", w =>
        {
            w.WriteNumber("output_index", response.Output.IndexOf(item));
            Property(w, "item", item);
        });
    }

    private void ItemRef(Utf8JsonWriter w, ResponseOutputItem item)
    {
        w.WriteString("item_id", item.Id);
        w.WriteNumber("output_index", response.Output.IndexOf(item));
    }

    private void Emit(string type, Action<Utf8JsonWriter> body)
    {
        if (emit is null)
        {
            _sequence++;
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, ApiJson.Writer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WriteNumber("sequence_number", _sequence++);
            body(writer);
            writer.WriteEndObject();
        }

        emit?.Invoke(type, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static void Property<T>(Utf8JsonWriter w, string name, T value)
    {
        w.WritePropertyName(name);
        JsonSerializer.Serialize(w, value, ApiJson.Options);
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}
