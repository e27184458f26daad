using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace QwenFunctions.Http;

/// <summary>One server-sent event: an optional <c>event:</c> name and one line of data (JSON, or OpenAI's [DONE]).</summary>
public readonly record struct SseFrame(string? Event, string Data)
{
    public static readonly SseFrame Done = new("[DONE]");

    public SseFrame(string data)
        : this(null, data)
    {
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[MaxByteCount];
        return bytes.AsSpan(0, CopyTo(bytes)).ToArray();
    }

    /// <summary>An upper bound of the frame's UTF-8 length, for a buffer <see cref="CopyTo"/> can fill.</summary>
    internal int MaxByteCount => Encoding.UTF8.GetMaxByteCount((Event?.Length ?? 0) + Data.Length) + 16;

    /// <summary>Writes the frame's UTF-8 bytes into <paramref name="destination"/> (at least <see cref="MaxByteCount"/> long).</summary>
    internal int CopyTo(Span<byte> destination)
    {
        var length = 0;
        if (Event is not null)
        {
            length += Append(destination, "event: "u8);
            length += Encoding.UTF8.GetBytes(Event, destination[length..]);
            length += Append(destination[length..], "\n"u8);
        }

        length += Append(destination[length..], "data: "u8);
        length += Encoding.UTF8.GetBytes(Data, destination[length..]);
        return length + Append(destination[length..], "\n\n"u8);
    }

    private static int Append(Span<byte> destination, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination);
        return bytes.Length;
    }
}

/// <summary>
/// Writes a downstream event stream: <c>data: …</c> events (optionally named) flushed one by one, and a <c>: keep-alive</c> comment
/// after every <c>keepAlive</c> of silence. The response (status 200 + SSE headers) starts lazily, at the first
/// event or heartbeat, so a failure known before that can still be answered with a real status code
/// (<see cref="TryAbandonBeforeStartAsync"/>).
/// </summary>
public sealed class SseWriter : IAsyncDisposable
{
    private static readonly byte[] KeepAliveComment = ": keep-alive\n\n"u8.ToArray();

    private readonly HttpResponse _response;
    private readonly TimeSpan _keepAlive;
    private readonly byte[] _heartbeatBytes;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly ITimer _heartbeat;
    private bool _abandoned;
    private bool _closed;

    /// <param name="heartbeat">What silence is filled with; null: a <c>: keep-alive</c> comment (Anthropic streams send a ping event).</param>
    public SseWriter(HttpResponse response, TimeProvider time, TimeSpan keepAlive, SseFrame? heartbeat = null)
    {
        _response = response;
        _heartbeatBytes = heartbeat?.ToBytes() ?? KeepAliveComment;
        _keepAlive = keepAlive;
        _heartbeat = time.CreateTimer(_ => _ = HeartbeatAsync(), null, keepAlive, keepAlive);
    }

    /// <summary>True once the status line and headers were sent: errors from now on must be in-band events.</summary>
    public bool Started { get; private set; }

    /// <summary>Events written (heartbeats excluded).</summary>
    public int EventCount { get; private set; }

    public Task WriteDataAsync(string json, CancellationToken cancellationToken) => WriteAsync(new SseFrame(json), cancellationToken);

    public Task WriteDoneAsync(CancellationToken cancellationToken) => WriteAsync(SseFrame.Done, cancellationToken);

    public async Task WriteAsync(SseFrame frame, CancellationToken cancellationToken)
    {
        // Encoded into a pooled buffer: a frame costs no string or array of its own on the way out.
        var buffer = ArrayPool<byte>.Shared.Rent(frame.MaxByteCount);
        try
        {
            await WriteAsync(buffer.AsMemory(0, frame.CopyTo(buffer)), isEvent: true, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The last event of a stream that failed after it started: the OpenAI error envelope, which makes SDKs raise
    /// instead of taking the truncated answer for a complete one. False when the client is already gone.
    /// </summary>
    public async Task<bool> TryWriteErrorAsync(ApiException error, CancellationToken cancellationToken)
    {
        try
        {
            await WriteDataAsync(ApiErrorWriter.OpenAIEnvelopeJson(error), cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            return false;
        }
    }

    /// <summary>An upstream keep-alive becomes a comment now (and restarts the silence clock).</summary>
    public Task WriteKeepAliveAsync(CancellationToken cancellationToken) => WriteAsync(ReadOnlyMemory<byte>.Empty, isEvent: false, cancellationToken);

    /// <summary>
    /// When nothing has been sent yet, stops the heartbeat for good and returns true: the caller may answer with a
    /// normal error response. Returns false when the stream has started.
    /// </summary>
    public async Task<bool> TryAbandonBeforeStartAsync()
    {
        await _lock.WaitAsync(CancellationToken.None);
        try
        {
            if (Started)
            {
                return false;
            }

            _abandoned = true;
            _heartbeat.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _heartbeat.DisposeAsync();
        await _lock.WaitAsync(CancellationToken.None);
        _closed = true;
        _lock.Release();
    }

    private async Task HeartbeatAsync()
    {
        try
        {
            await WriteAsync(ReadOnlyMemory<byte>.Empty, isEvent: false, _response.HttpContext.RequestAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The client is gone or the stream ended; the main loop notices and handles it.
        }
    }

    /// <param name="data">The event's bytes; ignored (the heartbeat is written) when <paramref name="isEvent"/> is false.</param>
    private async Task WriteAsync(ReadOnlyMemory<byte> data, bool isEvent, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_closed || _abandoned)
            {
                if (isEvent)
                {
                    throw new InvalidOperationException("The event stream is closed.");
                }

                return;
            }

            if (!Started)
            {
                Start();
            }

            var body = _response.Body;
            if (!isEvent)
            {
                await body.WriteAsync(_heartbeatBytes, cancellationToken);
            }
            else
            {
                await body.WriteAsync(data, cancellationToken);
                EventCount++;
            }

            await body.FlushAsync(cancellationToken);

            // Silence is measured from the last write, so a busy stream gets no comments.
            _heartbeat.Change(_keepAlive, _keepAlive);
        }
        finally
        {
            _lock.Release();
        }
    }

    private void Start()
    {
        _response.StatusCode = StatusCodes.Status200OK;
        _response.ContentType = "text/event-stream; charset=utf-8";
        _response.Headers.CacheControl = "no-cache";
        _response.Headers["X-Accel-Buffering"] = "no";
        _response.Headers.ContentEncoding = "identity";
        _response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        Started = true;
    }
}
