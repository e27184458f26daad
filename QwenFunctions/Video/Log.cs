using Microsoft.Extensions.Logging;

namespace QwenFunctions.Video;

internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Video job {JobId} scheduled")]
    public static partial void VideoJobScheduled(ILogger logger, string jobId);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Video task {TaskId} created on account {AccountId}")]
    public static partial void VideoTaskCreated(ILogger logger, string taskId, string accountId);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Video start failed: {Code} (status {Status})")]
    public static partial void VideoStartFailed(ILogger logger, string code, int status);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Video task {TaskId} poll on account {AccountId} failed: {ErrorKind}")]
    public static partial void VideoPollFailed(ILogger logger, string taskId, string accountId, string errorKind);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Video job {JobId} completed after {Polls} polls")]
    public static partial void VideoJobCompleted(ILogger logger, string jobId, int polls);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Video job {JobId} failed: {Code}")]
    public static partial void VideoJobFailed(ILogger logger, string jobId, string code);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Video job {JobId} cancelled")]
    public static partial void VideoJobCancelled(ILogger logger, string jobId);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Debug, Message = "Video job {JobId} prompt: {Prompt}")]
    public static partial void VideoPrompt(ILogger logger, string jobId, string prompt);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Information, Message = "Video task {TaskId} found in its chat on account {AccountId}; not sent again")]
    public static partial void VideoTaskFound(ILogger logger, string taskId, string accountId);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Video chat on account {AccountId} could not be read: {ErrorKind}")]
    public static partial void VideoChatUnreadable(ILogger logger, string accountId, string errorKind);
}
