namespace QwenFunctions.Upstream;

/// <summary>Every way an upstream call can fail, as the policy table sees it.</summary>
public enum UpstreamErrorKind
{
    /// <summary>Daily quota (RateLimited, HTTP 429, "Allocated quota exceeded").</summary>
    RateLimited,

    /// <summary>The upstream's own credential answer: code Unauthorized / unauthorized, or a bare HTTP 401.</summary>
    Unauthorized,

    /// <summary>The auth host refused the account's refresh token: the account needs a new sign-in.</summary>
    RefreshRejected,

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

    /// <summary>The parent message the client continues from is not in the chat (a stale parentId).</summary>
    ParentNotFound,

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
