using Microsoft.Extensions.Logging;

namespace QwenFunctions.Responses;

internal static partial class Log
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Response stored in this instance's memory only: {Reason}")]
    public static partial void StoredInMemoryOnly(ILogger logger, string reason);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Client went away during a response stream")]
    public static partial void ClientGone(ILogger logger);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "Response stream failed after it started: {Code}")]
    public static partial void StreamFailed(ILogger logger, string code);
}
