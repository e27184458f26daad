namespace QwenFunctions.Upstream;

/// <summary>
/// A read-through stream that keeps the first bytes it passes on. An upstream that labels a plain JSON error body
/// text/event-stream yields no SSE events; the kept prefix lets the client still read and classify that body.
/// </summary>
internal sealed class PrefixCapturingStream(Stream inner, int capacity) : Stream
{
    private readonly MemoryStream _prefix = new();
    private bool _stopped;

    public string CapturedText => System.Text.Encoding.UTF8.GetString(_prefix.GetBuffer(), 0, (int)_prefix.Length);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Capture(buffer.Span[..read]);
        return read;
    }

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        await ReadAsync(buffer.AsMemory(offset, count), cancellationToken);

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Capture(buffer.AsSpan(offset, read));
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>The body turned out to be events: what follows is not an error body, so copying it would only cost.</summary>
    public void StopCapturing() => _stopped = true;

    private void Capture(ReadOnlySpan<byte> data)
    {
        var room = _stopped ? 0 : capacity - (int)_prefix.Length;
        if (room > 0)
        {
            _prefix.Write(data[..Math.Min(room, data.Length)]);
        }
    }
}
