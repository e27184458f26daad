using System.Security.Cryptography;

namespace QwenFunctions.Files;

/// <summary>
/// An upload held in memory as a list of fixed-size chunks: growing it never copies what was already read
/// (a MemoryStream doubles and copies), so at most one copy of the file exists at a time.
/// </summary>
public sealed class ChunkedBuffer
{
    private const int ChunkSize = 64 * 1024;
    private readonly List<byte[]> _chunks = [];

    public long Length { get; private set; }

    /// <summary>Copies <paramref name="source"/> in, failing with <see cref="UploadTooLargeException"/> as soon as <paramref name="limit"/> is passed.</summary>
    public static async Task<ChunkedBuffer> ReadAsync(Stream source, long limit, CancellationToken cancellationToken)
    {
        var buffer = new ChunkedBuffer();
        while (true)
        {
            if (buffer.Length % ChunkSize == 0)
            {
                buffer._chunks.Add(new byte[ChunkSize]);
            }

            var chunk = buffer._chunks[^1];
            var offset = (int)(buffer.Length % ChunkSize);
            var read = await source.ReadAsync(chunk.AsMemory(offset), cancellationToken);
            if (read == 0)
            {
                return buffer;
            }

            buffer.Length += read;
            if (buffer.Length > limit)
            {
                throw new UploadTooLargeException(limit);
            }
        }
    }

    public static ChunkedBuffer From(ReadOnlySpan<byte> bytes)
    {
        var buffer = new ChunkedBuffer();
        while (bytes.Length > 0)
        {
            var chunk = new byte[ChunkSize];
            var n = Math.Min(ChunkSize, bytes.Length);
            bytes[..n].CopyTo(chunk);
            buffer._chunks.Add(chunk);
            buffer.Length += n;
            bytes = bytes[n..];
        }

        return buffer;
    }

    public string Sha256Hex()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (chunk, count) in Segments())
        {
            hash.AppendData(chunk, 0, count);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The first bytes, for content sniffing.</summary>
    public ReadOnlySpan<byte> Head(int count) => _chunks.Count == 0 ? [] : _chunks[0].AsSpan(0, (int)Math.Min(count, Math.Min(Length, ChunkSize)));

    /// <summary>A read-only, seekable view over the chunks (no copy).</summary>
    public Stream OpenRead() => new ChunkedReadStream(this);

    private IEnumerable<(byte[] Chunk, int Count)> Segments()
    {
        var left = Length;
        foreach (var chunk in _chunks)
        {
            if (left <= 0)
            {
                yield break;
            }

            var n = (int)Math.Min(left, ChunkSize);
            yield return (chunk, n);
            left -= n;
        }
    }

    private sealed class ChunkedReadStream(ChunkedBuffer buffer) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => buffer.Length;
        public override long Position { get; set; }

        public override int Read(byte[] target, int offset, int count) => Read(target.AsSpan(offset, count));

        public override int Read(Span<byte> target)
        {
            var total = 0;
            while (target.Length > 0 && Position < buffer.Length)
            {
                var chunk = buffer._chunks[(int)(Position / ChunkSize)];
                var within = (int)(Position % ChunkSize);
                var n = (int)Math.Min(Math.Min(ChunkSize - within, target.Length), buffer.Length - Position);
                chunk.AsSpan(within, n).CopyTo(target);
                target = target[n..];
                Position += n;
                total += n;
            }

            return total;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> target, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(target.Span));

        public override Task<int> ReadAsync(byte[] target, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(target, offset, count));

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            _ => buffer.Length + offset,
        };

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] source, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>The body passed the configured cap while it was being read.</summary>
public sealed class UploadTooLargeException(long limit) : Exception($"The file is larger than the {limit} byte limit.")
{
    public long Limit { get; } = limit;
}
