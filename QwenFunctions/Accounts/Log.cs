using Microsoft.Extensions.Logging;

namespace QwenFunctions.Accounts;

internal static partial class Log
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Account {AccountId} cooling down for {Feature} until {Until:o} ({ErrorKind})")]
    public static partial void CooledDown(ILogger logger, string accountId, QwenFeature feature, DateTimeOffset until, string errorKind);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Account {AccountId} marked invalid: {Reason}")]
    public static partial void Invalidated(ILogger logger, string accountId, string reason);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Account {AccountId} was refused too, in the same request as another account; not invalidated")]
    public static partial void SecondInvalidationSkipped(ILogger logger, string accountId);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Account {AccountId} works again; its invalid mark is cleared")]
    public static partial void Restored(ILogger logger, string accountId);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Attempt {Attempt} on account {AccountId} failed with {ErrorKind}; {Action}")]
    public static partial void AttemptFailed(ILogger logger, int attempt, string accountId, string errorKind, string action);
}
