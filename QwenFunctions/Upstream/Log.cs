using Microsoft.Extensions.Logging;

namespace QwenFunctions.Upstream;

internal static partial class Log
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Upstream {Method} {Path} failed: {ErrorKind} (status {Status}): {UpstreamMessage}")]
    public static partial void UpstreamError(ILogger logger, string method, string path, string errorKind, int? status, string upstreamMessage);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "Best-effort stop for account {AccountId} failed: {Reason}")]
    public static partial void StopFailed(ILogger logger, string accountId, string reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Upstream stream on account {AccountId} ended: {ErrorKind}")]
    public static partial void StreamFailed(ILogger logger, string accountId, string errorKind);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Upstream stream on account {AccountId} reported {ErrorKind}: {UpstreamMessage}")]
    public static partial void StreamError(ILogger logger, string accountId, string errorKind, string upstreamMessage);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Debug, Message = "Skipped an upstream SSE event that is not JSON")]
    public static partial void MalformedEvent(ILogger logger);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Account {AccountId} was refused too, in the same request as another account; not invalidated")]
    public static partial void SecondInvalidationSkipped(ILogger logger, string accountId);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Attempt {Attempt} on account {AccountId} failed with {ErrorKind}; {Action}")]
    public static partial void AttemptFailed(ILogger logger, int attempt, string accountId, string errorKind, string action);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Account {AccountId} has a new access token (refresh token rotated: {Rotated}), expiring {ExpiresAt:o}")]
    public static partial void Refreshed(ILogger logger, string accountId, bool rotated, DateTimeOffset? expiresAt);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Error, Message = "Account {AccountId}: the auth host refused its refresh token; sign in again and replace it")]
    public static partial void RefreshRejected(ILogger logger, string accountId);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "Account {AccountId}: refresh failed ({ErrorKind}); current token still usable: {StillUsable}")]
    public static partial void RefreshFailed(ILogger logger, string accountId, string errorKind, bool stillUsable);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Information, Message = "Account {AccountId}: the upstream refused its access token; refreshing once and trying the same account again")]
    public static partial void RefreshingAfterRejection(ILogger logger, string accountId);
}
