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

    public byte[] ToBytes() => Encoding.UTF8.GetBytes(Event is null ? $"data: {Data}\n\n" : $"event: {Event}\ndata: {Data}\n\n");
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

    public Task WriteAsync(SseFrame frame, CancellationToken cancellationToken) => WriteAsync(frame.ToBytes(), isEvent: true, cancellationToken);

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
    public Task WriteKeepAliveAsync(CancellationToken cancellationToken) => WriteAsync(null, isEvent: false, cancellationToken);

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
            await WriteAsync(null, isEvent: false, _response.HttpContext.RequestAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The client is gone or the stream ended; the main loop notices and handles it.
        }
    }

    private async Task WriteAsync(byte[]? data, bool isEvent, CancellationToken cancellationToken)
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
            if (data is null)
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
