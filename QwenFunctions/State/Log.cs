using Microsoft.Extensions.Logging;

namespace QwenFunctions.State;

internal static partial class Log
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Shared state store unavailable; breaker open for {BreakDuration} after {Failures} failures ({ErrorType}). Serving from memory.")]
    public static partial void BreakerOpened(ILogger logger, TimeSpan breakDuration, int failures, string errorType);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Shared state store reachable again; breaker closed")]
    public static partial void BreakerClosed(ILogger logger);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Debug, Message = "Shared state call failed ({ErrorType}, {Failures} in a row)")]
    public static partial void StoreCallFailed(ILogger logger, string errorType, int failures, Exception exception);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Information, Message = "Pushed {Count} state changes made while the shared store was unavailable")]
    public static partial void Resynced(ILogger logger, int count);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "Client {ClientKeyId} over its {Limit} limit")]
    public static partial void ClientLimited(ILogger logger, string clientKeyId, string limit);

    [LoggerMessage(EventId = 4211, Level = LogLevel.Warning, Message = "Account {AccountId}: shared state unreachable; refreshing under this instance's lease only")]
    public static partial void RefreshLeaseLocal(ILogger logger, string accountId);

    [LoggerMessage(EventId = 4212, Level = LogLevel.Error, Message = "Account {AccountId}: its rotated refresh token is not in the shared state yet (kept in this instance's memory, retried); other instances still send the retired one")]
    public static partial void RotatedTokenNotStored(ILogger logger, string accountId);

    [LoggerMessage(EventId = 4213, Level = LogLevel.Error, Message = "Account {AccountId}: the stored refresh token was encrypted with key {StoredKeyId}, this instance has key {KeyId} (or it is damaged); using the configured refresh token")]
    public static partial void StoredTokenUnreadable(ILogger logger, string accountId, string storedKeyId, string keyId);
}
