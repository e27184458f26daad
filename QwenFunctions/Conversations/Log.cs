using Microsoft.Extensions.Logging;

namespace QwenFunctions.Conversations;

internal static partial class Log
{
    [LoggerMessage(EventId = 2411, Level = LogLevel.Information, Message = "Created upstream chat {ChatId} on account {AccountId} with model {Model}")]
    public static partial void ConversationCreated(ILogger logger, string chatId, string accountId, string model);
}
