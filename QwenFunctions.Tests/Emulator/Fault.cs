namespace QwenFunctions.Tests.Emulator;

/// <summary>Emulator endpoints, used to aim a fault. Flags: combine them, or use <see cref="Any"/>.</summary>
[Flags]
public enum EmulatorEndpoint
{
    /// <summary>Nothing.</summary>
    None = 0,
    /// <summary><c>POST /api/v2/chats/new</c>.</summary>
    ChatsNew = 1,
    /// <summary><c>POST /api/v2/chat/completions</c> with a text chat type (t2t, search, …).</summary>
    TextCompletion = 2,
    /// <summary><c>POST /api/v2/chat/completions</c> with chat type t2i or image_edit.</summary>
    ImageCompletion = 4,
    /// <summary><c>POST /api/v2/chat/completions</c> with chat type t2v or i2v (video creation).</summary>
    VideoCompletion = 8,
    /// <summary>Every completion.</summary>
    Completions = TextCompletion | ImageCompletion | VideoCompletion,
    /// <summary><c>POST /api/v2/chat/completions/stop</c>.</summary>
    Stop = 16,
    /// <summary><c>GET /api/models</c> and <c>GET /api/v2/models/</c>.</summary>
    Models = 32,
    /// <summary><c>GET/DELETE /api/v2/chats/…</c> (details, list, delete).</summary>
    Chats = 64,
    /// <summary><c>GET /api/v2/task/status/{id}</c> and <c>GET /api/v1/tasks/status/{id}</c>.</summary>
    TaskStatus = 128,
    /// <summary><c>POST /api/v1|v2/files/getstsToken</c>.</summary>
    StsToken = 256,
    /// <summary><c>PUT /oss/{bucket}/{key}</c>.</summary>
    OssPut = 512,
    /// <summary><c>POST /api/v2/files/parse</c> and <c>/parse/status</c>.</summary>
    FileParse = 1024,
    /// <summary><c>GET /auth/api/v2/auths/refresh</c> (the auth host).</summary>
    Refresh = 2048,
    /// <summary>Every endpoint.</summary>
    Any = ~0,
}

/// <summary>What a fault does. See the <see cref="Fault"/> factory methods.</summary>
public enum FaultKind
{
    /// <summary>No error; only the modifiers (first-byte delay, forced encoding) apply.</summary>
    None,
    /// <summary>RateLimited envelope (HTTP 200 or 429, or as the first SSE event).</summary>
    RateLimited,
    /// <summary>Unauthorized envelope (HTTP 401, or 200 + x-actual-status-code 401).</summary>
    Unauthorized,
    /// <summary>Any <c>{"success":false,…,"data":{"code","details"}}</c> envelope.</summary>
    ErrorEnvelope,
    /// <summary>WAF captcha JSON with <c>ret</c>.</summary>
    WafJson,
    /// <summary>WAF captcha HTML page.</summary>
    WafHtml,
    /// <summary>Stream error <c>data_inspection_failed</c>.</summary>
    DataInspectionFailed,
    /// <summary>Stream error <c>{"error":"Internal error!"}</c>.</summary>
    InternalError,
    /// <summary>Stream error <c>invalid_input</c>.</summary>
    InvalidInput,
    /// <summary>A bare HTTP status (e.g. 500, 502, 503).</summary>
    HttpStatus,
    /// <summary>HTTP 200 event stream with no delta (only <c>response.created</c>, or nothing).</summary>
    EmptyStream,
    /// <summary>Connection aborted after N answer deltas, without <c>finished</c>.</summary>
    CutAfterDeltas,
    /// <summary>Connection held open without data after N answer deltas, until cancelled.</summary>
    StallAfterDeltas,
    /// <summary>Video task created normally but ends with a failure status.</summary>
    VideoTaskFails,
    /// <summary>Connection reset before any response byte.</summary>
    ResetConnection,
    /// <summary>One event that is not valid JSON after N answer deltas; the stream then goes on normally.</summary>
    MalformedEventAfterDeltas,
    /// <summary>Video task created (it renders and counts), but the answer is a bare HTTP status or a reset connection.</summary>
    VideoAcceptedThenFails,
    /// <summary>Two answers in one stream (§10.3): created events with response_index 1 and 0, interleaved tagged deltas.</summary>
    DualAnswerStream,
    /// <summary>Deltas of phases the app does not know (§10.3), with content and statuses typing/error/finished, between answer deltas.</summary>
    UnknownPhases,
}

/// <summary>
/// A scripted upstream failure. Queue it with <see cref="EmulatorFaults.Enqueue"/> (one-shot) or
/// <see cref="EmulatorFaults.SetSticky"/> (every request of a token). <see cref="FirstByteDelay"/> and
/// <see cref="ForceEncoding"/> are modifiers that combine with any kind (<c>fault with { ForceEncoding = "br" }</c>).
/// </summary>
public sealed record Fault
{
    /// <summary>What happens.</summary>
    public FaultKind Kind { get; init; }

    /// <summary>RateLimited: the <c>num</c> (hours) field.</summary>
    public int Num { get; init; } = 24;

    /// <summary>Use a real HTTP status (401 / 429) rather than HTTP 200 + x-actual-status-code.</summary>
    public bool AsHttpStatus { get; init; }

    /// <summary>Send the error body as the first event of an HTTP 200 event stream.</summary>
    public bool InStream { get; init; }

    /// <summary>HTTP status for <see cref="FaultKind.HttpStatus"/> / <see cref="FaultKind.WafHtml"/>; actual status of an envelope.</summary>
    public int StatusCode { get; init; } = 200;

    /// <summary>Cut / stall: answer deltas sent before the fault (0 = right after <c>response.created</c>).</summary>
    public int AfterAnswerDeltas { get; init; }

    /// <summary>Delay before the response starts (on the emulator's TimeProvider; cancelled with the request).</summary>
    public TimeSpan FirstByteDelay { get; init; }

    /// <summary><c>gzip</c> or <c>br</c>: compress the response whatever Accept-Encoding says.</summary>
    public string? ForceEncoding { get; init; }

    /// <summary>Envelope / error code.</summary>
    public string? Code { get; init; }

    /// <summary>Envelope / error details, video failure status, or raw body of an HTTP status fault.</summary>
    public string? Details { get; init; }

    /// <summary>Content type of an <see cref="FaultKind.HttpStatus"/> body (default application/json).</summary>
    public string ContentType { get; init; } = "application/json";

    /// <summary>Empty stream: send <c>response.created</c> first.</summary>
    public bool IncludeCreated { get; init; } = true;

    /// <summary>Daily quota hit. <paramref name="asHttpStatus"/>: HTTP 429; <paramref name="inStream"/>: first event of a 200 stream.</summary>
    public static Fault RateLimited(int num = 24, bool asHttpStatus = false, bool inStream = false) =>
        new() { Kind = FaultKind.RateLimited, Num = num, AsHttpStatus = asHttpStatus, InStream = inStream, StatusCode = 429 };

    /// <summary>Token refused. <paramref name="asHttpStatus"/>: HTTP 401; otherwise 200 + x-actual-status-code 401.</summary>
    public static Fault Unauthorized(bool asHttpStatus = false) =>
        new() { Kind = FaultKind.Unauthorized, AsHttpStatus = asHttpStatus, StatusCode = 401 };

    /// <summary>Any error envelope, e.g. <c>Error("Bad_Request", "internal error", 400)</c> for the transient case.</summary>
    public static Fault Error(string code, string details, int actualStatus = 400, bool inStream = false) =>
        new() { Kind = FaultKind.ErrorEnvelope, Code = code, Details = details, StatusCode = actualStatus, InStream = inStream };

    /// <summary>WAF captcha as a small JSON with <c>ret</c> (HTTP 200), optionally as the first SSE event.</summary>
    public static Fault WafJson(bool inStream = false) => new() { Kind = FaultKind.WafJson, InStream = inStream };

    /// <summary>WAF slider-captcha HTML page (text/html), with the given HTTP status.</summary>
    public static Fault WafHtml(int statusCode = 200) => new() { Kind = FaultKind.WafHtml, StatusCode = statusCode };

    /// <summary>Content moderation error as the only event of a 200 stream (input or output wording).</summary>
    public static Fault DataInspectionFailed(bool output = false) =>
        new() { Kind = FaultKind.DataInspectionFailed, InStream = true, Details = output ? "内容安全警告：输出内容可能包含不适当的内容！" : "内容安全警告：输入数据可能包含不适当的内容！" };

    /// <summary><c>{"error":"Internal error!"}</c> as the only event of a 200 stream.</summary>
    public static Fault InternalError() => new() { Kind = FaultKind.InternalError, InStream = true };

    /// <summary><c>{"error":{"code":"invalid_input","details":…}}</c> as the only event of a 200 stream.</summary>
    public static Fault InvalidInput(string details = "The file is invalid.") =>
        new() { Kind = FaultKind.InvalidInput, InStream = true, Details = details };

    /// <summary>A bare HTTP status (default 500) with an optional raw body.</summary>
    public static Fault HttpStatus(int statusCode = 500, string? body = null) =>
        new() { Kind = FaultKind.HttpStatus, StatusCode = statusCode, Details = body };

    /// <summary>HTTP 200 event stream without deltas (soft rate limit).</summary>
    public static Fault EmptyStream(bool includeCreated = true) => new() { Kind = FaultKind.EmptyStream, IncludeCreated = includeCreated };

    /// <summary>Abort the connection after <paramref name="answerDeltas"/> answer deltas; no <c>finished</c>.</summary>
    public static Fault CutAfter(int answerDeltas) => new() { Kind = FaultKind.CutAfterDeltas, AfterAnswerDeltas = answerDeltas };

    /// <summary>Hold the connection open without data after <paramref name="answerDeltas"/> answer deltas, until cancelled.</summary>
    public static Fault StallAfter(int answerDeltas) => new() { Kind = FaultKind.StallAfterDeltas, AfterAnswerDeltas = answerDeltas };

    /// <summary>Reset the connection before any response byte (a transport failure before headers).</summary>
    public static Fault ResetConnection() => new() { Kind = FaultKind.ResetConnection };

    /// <summary>Insert one event that is not valid JSON after <paramref name="answerDeltas"/> answer deltas, then continue.</summary>
    public static Fault MalformedEventAfter(int answerDeltas) => new() { Kind = FaultKind.MalformedEventAfterDeltas, AfterAnswerDeltas = answerDeltas };

    /// <summary>Delay the response headers and first byte; the response is otherwise normal.</summary>
    public static Fault SlowFirstByte(TimeSpan delay) => new() { Kind = FaultKind.None, FirstByteDelay = delay };

    /// <summary>Compress the response with <c>gzip</c> or <c>br</c> regardless of Accept-Encoding; otherwise normal.</summary>
    public static Fault Encoding(string encoding) => new() { Kind = FaultKind.None, ForceEncoding = encoding };

    /// <summary>The upstream creates the video task, then answers <paramref name="statusCode"/> (0: resets the connection) instead of the task.</summary>
    public static Fault VideoAcceptedThenFails(int statusCode = 502) => new() { Kind = FaultKind.VideoAcceptedThenFails, StatusCode = statusCode };

    /// <summary>An HTML error page of a gateway in front of the upstream (not the upstream's own answer).</summary>
    public static Fault GatewayPage(int statusCode) => new()
    {
        Kind = FaultKind.HttpStatus, StatusCode = statusCode, ContentType = "text/html",
        Details = $"<html><head><title>{statusCode} Unauthorized</title></head><body><h1>{statusCode} Authorization Required</h1><hr>nginx</body></html>",
    };

    /// <summary>§10.1: the 2026 expired-token body, <c>{"code":"unauthorized"}</c> in HTTP 200 without any envelope.</summary>
    public static Fault ExpiredToken2026() => HttpStatus(200, """{"code":"unauthorized"}""");

    /// <summary>§10.5: chat busy as Bad_Request "The chat is in progress!" (same meaning as CHAT_IN_PROGRESS).</summary>
    public static Fault ChatInProgress2026() => Error("Bad_Request", "The chat is in progress!", 400);

    /// <summary>§10.5: a parent message that is not in the chat.</summary>
    public static Fault StaleParent(string parentId) => Error("Bad_Request", $"Invalid input chat parent_id {parentId} is not exist.", 400);

    /// <summary>§10.5: the anti-bot refusal on completions while chats/new still works.</summary>
    public static Fault AntiBotRefusal() => Error("Bad_Request", "Internal error...", 400);

    /// <summary>§10.3: the in-stream quota error before any answer byte.</summary>
    public static Fault QuotaExceededInStream() => new() { Kind = FaultKind.InternalError, InStream = true, Code = "internal_error",
        Details = "Allocated quota exceeded, please increase your quota limit. For details, see: https://help.aliyun.com/zh/model-studio/error-code" };

    /// <summary>§10.3: two answers in one stream; the second (response_index 1) says "Alternative: …".</summary>
    public static Fault DualAnswer() => new() { Kind = FaultKind.DualAnswerStream };

    /// <summary>§10.3: deltas of unknown phases (tool_call, bash, search_result, …) around the answer deltas.</summary>
    public static Fault UnknownPhases() => new() { Kind = FaultKind.UnknownPhases };

    /// <summary>The video task is created but its status ends as <paramref name="status"/> instead of <c>success</c>.</summary>
    public static Fault VideoTaskFails(string status = "failed") => new() { Kind = FaultKind.VideoTaskFails, Details = status };
}
