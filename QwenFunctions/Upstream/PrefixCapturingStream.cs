using System.Buffers;

namespace QwenFunctions.Upstream;

/// <summary>
/// A read-through stream that keeps the first bytes it passes on. An upstream that labels a plain JSON error body
/// text/event-stream yields no SSE events; the kept prefix lets the client still read and classify that body.
/// </summary>
internal sealed class PrefixCapturingStream(Stream inner, int capacity) : Stream
{
    // Pooled: almost every stream stops capturing at its first event, so the copy only has to live that long.
    private byte[] _prefix = [];
    private int _length;
    private bool _stopped;

    public string CapturedText => System.Text.Encoding.UTF8.GetString(_prefix, 0, _length);

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
            ReturnPrefix();
            _length = 0;
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        ReturnPrefix();
        _length = 0;
        await base.DisposeAsync();
    }

    /// <summary>The body turned out to be events: what follows is not an error body, so copying it would only cost.</summary>
    public void StopCapturing() => _stopped = true;

    private void Capture(ReadOnlySpan<byte> data)
    {
        var take = _stopped ? 0 : Math.Min(capacity - _length, data.Length);
        if (take <= 0)
        {
            return;
        }

        if (_length + take > _prefix.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_length + take, Math.Min(capacity, _prefix.Length * 2)));
            _prefix.AsSpan(0, _length).CopyTo(larger);
            ReturnPrefix();
            _prefix = larger;
        }

        data[..take].CopyTo(_prefix.AsSpan(_length));
        _length += take;
    }

    private void ReturnPrefix()
    {
        if (_prefix.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_prefix);
            _prefix = [];
        }
    }
}
