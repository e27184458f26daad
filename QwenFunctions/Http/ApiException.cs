using System.Net;

namespace QwenFunctions.Http;

/// <summary>
/// A failure to report to the client. Rendered as the OpenAI error envelope on /v1 routes
/// and as ProblemDetails on native routes, with the same status, code and headers.
/// </summary>
public sealed class ApiException : Exception
{
    public ApiException(HttpStatusCode status, string type, string? code, string message, string? param = null, Exception? inner = null)
        : base(message, inner)
    {
        Status = status;
        Type = type;
        Code = code;
        Param = param;
    }

    public HttpStatusCode Status { get; }

    /// <summary>OpenAI error type: invalid_request_error, authentication_error, rate_limit_exceeded, insufficient_quota, server_error…</summary>
    public string Type { get; }

    public string? Code { get; }

    public string? Param { get; }

    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Sent as x-should-retry so OpenAI SDKs do not hammer an exhausted pool.</summary>
    public bool? ShouldRetry { get; init; }

    public static ApiException BadRequest(string message, string? param = null, string? code = null) =>
        new(HttpStatusCode.BadRequest, "invalid_request_error", code, message, param);

    public static ApiException NotFound(string message, string code = "not_found", string? param = null) =>
        new(HttpStatusCode.NotFound, "invalid_request_error", code, message, param);
}
