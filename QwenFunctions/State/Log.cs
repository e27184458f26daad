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
}
