namespace QwenFunctions.Upstream;

/// <summary>Every way an upstream call can fail, as the policy table sees it.</summary>
public enum UpstreamErrorKind
{
    /// <summary>Daily quota (RateLimited, HTTP 429, "Allocated quota exceeded").</summary>
    RateLimited,

    /// <summary>Token invalid or expired (401/403, Unauthorized, "Token has expired").</summary>
    Unauthorized,

    /// <summary>WAF / captcha / blocked IP: not the account's fault.</summary>
    Waf,

    /// <summary>data_inspection_failed: the user's content was refused.</summary>
    ContentFilter,

    /// <summary>Invalid attachment or input the upstream refused (invalid_input).</summary>
    InvalidInput,

    /// <summary>Another completion is still running on the same upstream chat.</summary>
    ChatInProgress,

    /// <summary>Chat, task or file unknown upstream.</summary>
    NotFound,

    /// <summary>Bad_Request, validation errors: our request was wrong.</summary>
    BadRequest,

    /// <summary>HTTP 200 with no delta at all: the upstream's soft rate limit.</summary>
    EmptyStream,

    /// <summary>The stream ended or broke before the answer finished.</summary>
    StreamInterrupted,

    /// <summary>No first byte, or silence between events, beyond the configured timeout.</summary>
    Timeout,

    /// <summary>5xx, "Internal error!", connection failures: worth another try.</summary>
    Transient,
}
