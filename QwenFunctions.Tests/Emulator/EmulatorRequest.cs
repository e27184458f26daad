using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace QwenFunctions.Tests.Emulator;

/// <summary>Per-request state: body, credential, request id, fault, and response writing (compression, SSE framing).</summary>
internal sealed class EmulatorRequest
{
    private static readonly object ItemKey = new();
    private readonly CancellationTokenSource _aborted;
    private Stream? _compressor;
    private bool _firstEvent = true;
    private JsonNode? _json;
    private bool _jsonParsed;

    private EmulatorRequest(HttpContext http, QwenEmulator emulator, byte[] body, string? token)
    {
        Http = http;
        Emulator = emulator;
        BodyBytes = body;
        Token = token;
        var expired = false;
        Account = token is not null && emulator.FindAccount(token, out expired) is { Revoked: false } account ? account : null;
        TokenExpired = expired;
        RequestId = http.Request.Headers["x-request-id"].FirstOrDefault() is { Length: > 0 } id ? id : Guid.NewGuid().ToString();
        _aborted = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, emulator.Stopping);
    }

    public HttpContext Http { get; }
    public QwenEmulator Emulator { get; }
    public QwenEmulatorOptions Options => Emulator.Options;
    public byte[] BodyBytes { get; }
    public string BodyText => Encoding.UTF8.GetString(BodyBytes);
    public string? Token { get; }
    public EmulatorAccount? Account { get; }
    /// <summary>The credential is a minted access token past its exp.</summary>
    public bool TokenExpired { get; }
    public string RequestId { get; }
    public Fault? Fault { get; private set; }
    public CancellationToken Aborted => _aborted.Token;
    public DateTimeOffset Now => Options.TimeProvider.GetUtcNow();

    /// <summary>The body as JSON, or null when it is empty or not JSON.</summary>
    public JsonNode? Json
    {
        get
        {
            if (_jsonParsed) return _json;
            _jsonParsed = true;
            try { _json = BodyBytes.Length == 0 ? null : JsonNode.Parse(BodyBytes); }
            catch (JsonException) { _json = null; }
            return _json;
        }
    }

    public static async Task<EmulatorRequest> CreateAsync(HttpContext http, QwenEmulator emulator)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var request = new EmulatorRequest(http, emulator, buffer.ToArray(), ReadToken(http.Request));
        http.Items[ItemKey] = request;
        http.Response.Headers["x-request-id"] = request.RequestId;
        return request;
    }

    public static EmulatorRequest From(HttpContext http) => (EmulatorRequest)http.Items[ItemKey]!;

    private static string? ReadToken(HttpRequest request)
    {
        var auth = request.Headers.Authorization.FirstOrDefault();
        if (auth is not null && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && auth.Length > 7)
            return auth[7..].Trim();
        if (request.Cookies.TryGetValue("token", out var cookie) && cookie.Length > 0)
            return cookie;
        // The auth host's credential: faults can target a refresh token like any other token.
        return request.Cookies.TryGetValue("refresh_token", out var refresh) && refresh.Length > 0 ? refresh : null;
    }

    /// <summary>Takes the matching fault, applies its modifiers, and answers it when it is an error response.</summary>
    /// <returns>True when the response has been written and the handler must stop.</returns>
    public async Task<bool> ApplyFaultAsync(EmulatorEndpoint endpoint)
    {
        Fault = Emulator.Faults.Take(Token, endpoint);
        if (Fault is null) return false;
        if (Fault.FirstByteDelay > TimeSpan.Zero)
            await Task.Delay(Fault.FirstByteDelay, Options.TimeProvider, Aborted);
        return await FaultResponder.TryRespondAsync(this, Fault);
    }

    /// <summary>Answers Unauthorized unless the credential belongs to a live account.</summary>
    public async Task<bool> RequireAccountAsync()
    {
        if (Account is not null) return true;
        if (TokenExpired)
            // §10.1: an expired access token is refused with the 2026 body, in HTTP 200 and without the envelope.
            await WriteTextAsync("""{"code":"unauthorized"}""", "application/json");
        else
            await WriteErrorAsync("Unauthorized", "You are not authenticated or your session has expired. Please sign in again.", 401);
        return false;
    }

    /// <summary>Answers Bad_Request when strict headers are on and the <c>version</c> header is missing.</summary>
    public async Task<bool> RequireVersionHeaderAsync()
    {
        if (!Options.StrictHeaders || Http.Request.Headers.ContainsKey("version")) return true;
        await WriteErrorAsync("Bad_Request", "The request is missing the required 'version' header.", 400);
        return false;
    }

    /// <summary>Writes the §5 failure envelope: HTTP 200 + x-actual-status-code, or the real status when asked.</summary>
    public Task WriteErrorAsync(string code, string details, int actualStatus, bool asHttpStatus = false) =>
        WriteJsonAsync(EmulatorJson.Failure(RequestId, code, details), asHttpStatus ? actualStatus : 200, actualStatus);

    public Task WriteSuccessAsync(JsonNode? data) => WriteJsonAsync(EmulatorJson.Success(RequestId, data));

    public Task WriteJsonAsync(JsonNode body, int status = 200, int? actualStatus = null) =>
        WriteTextAsync(EmulatorJson.Write(body), "application/json", status, actualStatus);

    public async Task WriteTextAsync(string text, string contentType, int status = 200, int? actualStatus = null)
    {
        Http.Response.StatusCode = status;
        Http.Response.ContentType = contentType;
        Http.Response.Headers["x-actual-status-code"] = (actualStatus ?? status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await WriteBytesAsync(Encoding.UTF8.GetBytes(text));
    }

    public async Task WriteBytesAsync(byte[] bytes)
    {
        var body = BodyStream();
        await body.WriteAsync(bytes, Aborted);
        await body.FlushAsync(Aborted);
    }

    public Task BeginEventStreamAsync()
    {
        Http.Response.StatusCode = 200;
        Http.Response.ContentType = "text/event-stream; charset=utf-8";
        Http.Response.Headers.CacheControl = "no-cache";
        Http.Response.Headers["x-actual-status-code"] = "200";
        Http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        BodyStream();
        return Http.Response.StartAsync(Aborted);
    }

    /// <summary>Writes one <c>data: …</c> event and flushes it.</summary>
    public Task WriteEventAsync(JsonNode payload) => WriteEventAsync(EmulatorJson.Write(payload));

    public async Task WriteEventAsync(string data)
    {
        var space = _firstEvent && Options.TrailingSpaceOnFirstEvent ? " " : "";
        _firstEvent = false;
        var bytes = Encoding.UTF8.GetBytes($"data: {data}{space}\n\n");
        var chunk = Options.EventWriteChunkBytes > 0 ? Options.EventWriteChunkBytes : bytes.Length;
        for (var at = 0; at < bytes.Length; at += chunk)
        {
            await WriteBytesAsync(bytes[at..Math.Min(bytes.Length, at + chunk)]);
        }
    }

    /// <summary>Drops the connection without a proper end of the response.</summary>
    public async Task AbortAsync()
    {
        if (_compressor is not null) await _compressor.FlushAsync(Aborted);
        await Http.Response.Body.FlushAsync(Aborted);
        // Http.Abort() alone resets the socket, and a reset makes the client's kernel drop bytes it has not read yet.
        // A half-close (FIN) after the flushed events lets the client read them and then hit a premature end of body.
        var socket = Http.Features.Get<IConnectionSocketFeature>()?.Socket;
        if (socket is not null)
        {
            await Task.Delay(50, Aborted); // let Kestrel's output pipe reach the socket before the FIN
            socket.Shutdown(SocketShutdown.Send);
        }
        Http.Abort();
    }

    public async Task FinishAsync()
    {
        try
        {
            if (_compressor is not null) await _compressor.DisposeAsync();
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away (or the connection was cut on purpose); nothing left to flush.
        }
        _aborted.Dispose();
    }

    private Stream BodyStream()
    {
        if (_compressor is not null) return _compressor;
        if (Http.Response.HasStarted) return Http.Response.Body;
        var encoding = Fault?.ForceEncoding ?? (Options.HonourAcceptEncoding ? Negotiate() : null);
        if (encoding is null) return Http.Response.Body;
        Http.Response.Headers.ContentEncoding = encoding;
        Http.Response.Headers.Vary = "Accept-Encoding";
        _compressor = encoding == "br"
            ? new BrotliStream(Http.Response.Body, CompressionLevel.Fastest, leaveOpen: true)
            : new GZipStream(Http.Response.Body, CompressionLevel.Fastest, leaveOpen: true);
        return _compressor;
    }

    private string? Negotiate()
    {
        foreach (var part in Http.Request.Headers.AcceptEncoding.SelectMany(v => (v ?? "").Split(',')))
        {
            var pieces = part.Split(';', StringSplitOptions.TrimEntries);
            if (pieces.Length > 1 && pieces[1].Replace(" ", "") is "q=0" or "q=0.0") continue;
            if (pieces[0].Equals("gzip", StringComparison.OrdinalIgnoreCase)) return "gzip";
            if (pieces[0].Equals("br", StringComparison.OrdinalIgnoreCase)) return "br";
        }
        return null;
    }
}
