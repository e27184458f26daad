using Microsoft.Extensions.Logging;

namespace QwenFunctions.Chat;

internal static partial class Log
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "Answer started on account {AccountId}, chat {ChatId}, model {Model}")]
    public static partial void AnswerStarted(ILogger logger, string accountId, string chatId, string model);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Client went away; stopping upstream chat {ChatId} on account {AccountId}")]
    public static partial void StoppingUpstream(ILogger logger, string accountId, string chatId);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Debug, Message = "Client disconnected during a chat answer")]
    public static partial void ClientGone(ILogger logger);

    [LoggerMessage(EventId = 1112, Level = LogLevel.Warning, Message = "Chat stream for chat {ChatId} ended with an upstream error after the first byte: {ErrorKind}")]
    public static partial void StreamFailed(ILogger logger, string chatId, string errorKind);

    [LoggerMessage(EventId = 1113, Level = LogLevel.Error, Message = "Chat stream for chat {ChatId} failed unexpectedly after the first byte")]
    public static partial void StreamCrashed(ILogger logger, Exception exception, string? chatId);

    [LoggerMessage(EventId = 1114, Level = LogLevel.Warning, Message = "Non-streaming answer broke off upstream ({ErrorKind}); asking once more in a new chat")]
    public static partial void AnswerRetried(ILogger logger, string errorKind);

    [LoggerMessage(EventId = 1121, Level = LogLevel.Debug, Message = "Stateless history continues upstream chat {ChatId} on account {AccountId}: {Known} of {Total} messages already there")]
    public static partial void ContinuingHistory(ILogger logger, string chatId, string accountId, int known, int total);

    [LoggerMessage(EventId = 1122, Level = LogLevel.Information, Message = "Continuing upstream chat {ChatId} failed ({Reason}); folding the whole history instead")]
    public static partial void ContinuationFellBack(ILogger logger, string? chatId, string reason);

    [LoggerMessage(EventId = 1123, Level = LogLevel.Warning, Message = "Could not remember the history of upstream chat {ChatId} ({ErrorType}); its next turn will be folded")]
    public static partial void RememberFailed(ILogger logger, string chatId, string errorType);
}
