using Microsoft.Extensions.Logging;

namespace QwenFunctions.Http;

internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "API_KEYS is not set: the API is open to anyone who can reach it")]
    public static partial void ApiOpen(ILogger logger);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "{Method} {Path} answered {Status} ({Code})")]
    public static partial void ClientError(ILogger logger, string method, string path, int status, string? code);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "{Method} {Path} failed unexpectedly")]
    public static partial void Unhandled(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "{Method} {Path}: the client went away")]
    public static partial void ClientAborted(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "{Method} {Path} failed after the response started: {Code}")]
    public static partial void FailedAfterStart(ILogger logger, string method, string path, string? code);
}
