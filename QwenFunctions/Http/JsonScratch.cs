using System.Buffers;
using System.Text;
using System.Text.Json;

namespace QwenFunctions.Http;

/// <summary>
/// Writes small JSON documents (upstream request bodies, response bodies, stream chunks) into a buffer and writer
/// kept per thread and reused, so a document costs only its result (a string, a byte array or a length). The write
/// callback is synchronous, which is what makes a per-thread buffer safe; a nested write (a callback that itself
/// writes a document) gets its own fresh buffer.
/// </summary>
public sealed class JsonScratch(JsonWriterOptions options)
{
    // A buffer grown past this by a rare large document is dropped after use rather than kept by the thread.
    private const int MaxKeptBytes = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static bool t_busy;

    // One writer per options and thread: Utf8JsonWriter.Reset keeps the options it was created with.
    private readonly ThreadLocal<Utf8JsonWriter?> _writer = new();

    /// <summary>Compact output with the default (HTML-safe) encoder, as JsonNode.ToJsonString writes.</summary>
    public static JsonScratch Default { get; } = new(default);

    public string ToUtf16<TState>(TState state, Action<Utf8JsonWriter, TState> write) =>
        Run(state, write, static span => Encoding.UTF8.GetString(span));

    public byte[] ToUtf8<TState>(TState state, Action<Utf8JsonWriter, TState> write) =>
        Run(state, write, static span => span.ToArray());

    public int ByteCount<TState>(TState state, Action<Utf8JsonWriter, TState> write) =>
        Run(state, write, static span => span.Length);

    private delegate TResult Finish<TResult>(ReadOnlySpan<byte> written);

    private TResult Run<TState, TResult>(TState state, Action<Utf8JsonWriter, TState> write, Finish<TResult> finish)
    {
        if (t_busy)
        {
            var own = new ArrayBufferWriter<byte>();
            using (var nested = new Utf8JsonWriter(own, options))
            {
                write(nested, state);
            }

            return finish(own.WrittenSpan);
        }

        t_busy = true;
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        var writer = _writer.Value;
        if (writer is null)
        {
            _writer.Value = writer = new Utf8JsonWriter(buffer, options);
        }
        else
        {
            writer.Reset(buffer);
        }

        try
        {
            write(writer, state);
            writer.Flush();
            return finish(buffer.WrittenSpan);
        }
        finally
        {
            buffer.ResetWrittenCount();
            if (buffer.Capacity > MaxKeptBytes)
            {
                t_buffer = null;
            }

            t_busy = false;
        }
    }
}
