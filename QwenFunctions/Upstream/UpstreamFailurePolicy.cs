using System.Net;
using QwenFunctions.Configuration;
using QwenFunctions.Http;

namespace QwenFunctions.Upstream;

/// <summary>What the pool does with an account after a failed attempt.</summary>
public enum FailureAction
{
    /// <summary>Cool the feature down for the hours the upstream gave, then try another account.</summary>
    CoolDownAndRotate,

    /// <summary>Mark the account invalid, then try another account.</summary>
    InvalidateAndRotate,

    /// <summary>Short cooldown; one more try on another account.</summary>
    SoftLimitAndRotateOnce,

    /// <summary>No penalty; try another account (a silent or flaky upstream is not retried on the same account).</summary>
    RotateWithoutPenalty,

    /// <summary>
    /// The WAF asked for a captcha: rotating would only spread the block, so answer 503 now and pause this account
    /// briefly (Qwen:Cooldowns:WafBackoff) so the next requests do not hammer the firewall. No invalidation.
    /// </summary>
    BackOffAndFail,

    /// <summary>Not the account's fault and not fixable by rotating: answer the client now.</summary>
    Fail,
}

/// <summary>The one table that maps upstream outcomes to pool actions and to client answers.</summary>
public static class UpstreamFailurePolicy
{
    public static FailureAction Decide(UpstreamErrorKind kind) => kind switch
    {
        UpstreamErrorKind.RateLimited => FailureAction.CoolDownAndRotate,
        UpstreamErrorKind.Unauthorized or UpstreamErrorKind.RefreshRejected => FailureAction.InvalidateAndRotate,
        UpstreamErrorKind.EmptyStream => FailureAction.SoftLimitAndRotateOnce,
        UpstreamErrorKind.Transient or UpstreamErrorKind.Timeout => FailureAction.RotateWithoutPenalty,
        UpstreamErrorKind.Waf => FailureAction.BackOffAndFail,
        _ => FailureAction.Fail,
    };

    /// <summary>The client-facing error for a failure that is not retried (or whose retries ran out).</summary>
    /// <param name="wafBackoff">How long the account pauses after a WAF answer (Qwen:Cooldowns:WafBackoff): the Retry-After.</param>
    public static ApiException ToApiException(QwenUpstreamException ex, TimeSpan? wafBackoff = null) => ex.Kind switch
    {
        UpstreamErrorKind.ContentFilter => new ApiException(HttpStatusCode.BadRequest, "invalid_request_error", "content_filter",
            "The upstream refused the content (data_inspection_failed).", inner: ex),
        UpstreamErrorKind.InvalidInput => new ApiException(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_input",
            "The upstream refused the input: " + ex.Message, inner: ex),
        UpstreamErrorKind.ChatInProgress => new ApiException(HttpStatusCode.Conflict, "invalid_request_error", "conversation_busy",
            "Another answer is still being generated in this conversation; wait for it to finish.", inner: ex),
        UpstreamErrorKind.NotFound => new ApiException(HttpStatusCode.NotFound, "invalid_request_error", "not_found",
            "The upstream does not know this conversation or item: " + ex.Message, inner: ex),
        UpstreamErrorKind.ParentNotFound => new ApiException(HttpStatusCode.BadRequest, "invalid_request_error", "parent_not_found",
            "The parent message (parentId) is not part of this conversation upstream; send the parentId of the last answer.", "parentId", inner: ex),
        UpstreamErrorKind.Waf => new ApiException(HttpStatusCode.ServiceUnavailable, "server_error", "upstream_blocked",
            "The upstream's firewall asked for a captcha; this is not an account problem. Try again later.", inner: ex)
        { RetryAfter = wafBackoff ?? new CooldownSettings().WafBackoff, ShouldRetry = false },
        UpstreamErrorKind.RateLimited => new ApiException(HttpStatusCode.TooManyRequests, "insufficient_quota", "insufficient_quota",
            "The upstream account reached its usage limit.", inner: ex)
        { RetryAfter = TimeSpan.FromHours(ex.RetryAfterHours ?? 24), ShouldRetry = false },
        UpstreamErrorKind.Unauthorized => new ApiException(HttpStatusCode.BadGateway, "server_error", "upstream_unauthorized",
            "The upstream rejected the account's token.", inner: ex),
        UpstreamErrorKind.RefreshRejected => new ApiException(HttpStatusCode.BadGateway, "server_error", "upstream_unauthorized",
            "The upstream refused to refresh the account's session; sign in again and replace its refresh token.", inner: ex),
        UpstreamErrorKind.EmptyStream => new ApiException(HttpStatusCode.ServiceUnavailable, "server_error", "upstream_empty_response",
            "The upstream returned an empty answer (soft rate limit).", inner: ex)
        { RetryAfter = TimeSpan.FromSeconds(30), ShouldRetry = true },
        UpstreamErrorKind.Timeout => new ApiException(HttpStatusCode.GatewayTimeout, "server_error", "upstream_timeout",
            "The upstream did not answer in time.", inner: ex),
        UpstreamErrorKind.StreamInterrupted => new ApiException(HttpStatusCode.BadGateway, "server_error", "upstream_stream_interrupted",
            "The upstream stream ended before the answer was complete.", inner: ex),
        UpstreamErrorKind.BadRequest => new ApiException(HttpStatusCode.BadGateway, "server_error", "upstream_bad_request",
            "The upstream refused the request: " + ex.Message, inner: ex),
        _ => new ApiException(HttpStatusCode.BadGateway, "server_error", "upstream_error",
            "The upstream failed: " + ex.Message, inner: ex),
    };
}
