using Microsoft.Extensions.Logging;

namespace QwenFunctions.Files;

internal static partial class Log
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Uploaded file {FileId} ({Size} bytes, {Kind}) on account {AccountId}")]
    public static partial void Uploaded(ILogger logger, string fileId, string accountId, long size, string kind);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "File {FileId} still parsing after {Polls} polls; answering anyway")]
    public static partial void ParseStillRunning(ILogger logger, string fileId, int polls);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "OSS PUT failed with HTTP {Status} ({Code})")]
    public static partial void OssPutFailed(ILogger logger, int status, string code);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "STS v2 refused for account {AccountId} ({ErrorKind}); trying the v1 path")]
    public static partial void StsFallback(ILogger logger, string accountId, string errorKind);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Debug, Message = "Reused upload {FileId} for identical image bytes on account {AccountId}")]
    public static partial void VisionCacheHit(ILogger logger, string fileId, string accountId);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Warning, Message = "Refused to fetch an image from {Host}: {Reason}")]
    public static partial void DownloadRefused(ILogger logger, string host, string reason);
}
