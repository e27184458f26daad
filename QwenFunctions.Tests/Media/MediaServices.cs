using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Media;

/// <summary>The app's real composition root (AddQwen) pointed at an emulator, for the image and file tests.</summary>
internal static class MediaServices
{
    public static ServiceProvider Create(QwenEmulator emulator, IEnumerable<string> tokens, IDictionary<string, string?>? extra = null)
    {
        var settings = Settings(emulator, tokens);
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return TestServices.Build(settings, s => s.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning)).AddMvcCore());
    }

    /// <summary>The media tests' app settings, also for a <see cref="Hosting.FunctionsTestServer"/>.</summary>
    public static Dictionary<string, string?> Settings(QwenEmulator emulator, IEnumerable<string> tokens) => new()
    {
            ["Qwen:BaseUrl"] = emulator.BaseAddress.ToString(),
            ["Qwen:Tokens"] = string.Join(',', tokens),
            ["Qwen:OssEndpoint"] = emulator.OssEndpoint.ToString(),
            ["Qwen:DefaultModel"] = "qwen3.6-plus",
            ["Files:AllowPrivateNetworkDownloads"] = "true",
        ["Files:ParsePollInterval"] = "00:00:00.010",
    };

    /// <summary>A request whose body is a multipart form with one file part.</summary>
    public static DefaultHttpContext MultipartContext(IServiceProvider services, string fileName, string contentType, byte[] content, string field = "file", bool sendContentLength = true)
    {
        var (body, boundary) = MultipartBody(fileName, contentType, content, field);
        var http = new DefaultHttpContext { RequestServices = services };
        http.Request.Method = "POST";
        http.Request.ContentType = $"multipart/form-data; boundary={boundary}";
        http.Request.Body = new MemoryStream(body);
        http.Request.ContentLength = sendContentLength ? body.Length : null;
        http.Response.Body = new MemoryStream();
        return http;
    }

    public static (byte[] Body, string Boundary) MultipartBody(string fileName, string contentType, byte[] content, string field = "file")
    {
        const string boundary = "----qwen-test-boundary";
        var head = Encoding.UTF8.GetBytes(
            $"--{boundary}\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nvision\r\n" +
            $"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{fileName}\"\r\nContent-Type: {contentType}\r\n\r\n");
        var tail = Encoding.UTF8.GetBytes($"\r\n--{boundary}--\r\n");
        return ([.. head, .. content, .. tail], boundary);
    }

    public static DefaultHttpContext JsonContext(IServiceProvider services, string json)
    {
        var http = new DefaultHttpContext { RequestServices = services };
        http.Request.Method = "POST";
        http.Request.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(json);
        http.Request.Body = new MemoryStream(bytes);
        http.Request.ContentLength = bytes.Length;
        http.Response.Body = new MemoryStream();
        return http;
    }

    /// <summary>Executes a function's result the way the Functions host does and returns the body text.</summary>
    public static async Task<string> ExecuteAsync(IResult result, HttpContext http)
    {
        await result.ExecuteAsync(http);
        return BodyText(http);
    }

    public static string BodyText(HttpContext http)
    {
        http.Response.Body.Position = 0;
        return new StreamReader(http.Response.Body).ReadToEnd();
    }

    /// <summary>A smallest valid PNG (1×1).</summary>
    public static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
}

/// <summary>A request body that records how much of it was read, and can refuse to be read at all.</summary>
internal sealed class TrackingStream(byte[] content, bool throwOnRead = false) : Stream
{
    private readonly MemoryStream _inner = new(content);

    public long BytesRead { get; private set; }
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _inner.Position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (throwOnRead)
        {
            throw new InvalidOperationException("The body must not be read.");
        }

        // Small reads, like a network would deliver them.
        var n = _inner.Read(buffer[..Math.Min(buffer.Length, 4096)]);
        BytesRead += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
