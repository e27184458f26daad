using Microsoft.Extensions.Logging;

namespace QwenFunctions.Chat;

internal static partial class Log
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "Answer started on account {AccountId}, chat {ChatId}, model {Model}")]
    public static partial void AnswerStarted(ILogger logger, string accountId, string chatId, string model);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Client went away; stopping upstream chat {ChatId} on account {AccountId}")]
    public static partial void StoppingUpstream(ILogger logger, string accountId, string chatId);
}
