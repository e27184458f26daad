using Microsoft.Extensions.Logging;

namespace QwenFunctions.Images;

internal static partial class Log
{
    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Generated {Count} image(s) on account {AccountId} with {Model} at {Size}")]
    public static partial void Generated(ILogger logger, int count, string accountId, string model, string size);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "Image stream on account {AccountId} carried no URL; reading the chat details")]
    public static partial void DetailsFallback(ILogger logger, string accountId);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Debug, Message = "Image request cancelled by the client")]
    public static partial void ClientGone(ILogger logger);
}
