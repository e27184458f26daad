using Microsoft.Extensions.Logging;

namespace QwenFunctions.Models;

internal static partial class Log
{
    [LoggerMessage(EventId = 2401, Level = LogLevel.Information, Message = "Model list refreshed from the upstream: {Count} models")]
    public static partial void ModelsRefreshed(ILogger logger, int count);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Warning, Message = "Model list unavailable ({Reason}); keeping the previous upstream list for now")]
    public static partial void ModelsStale(ILogger logger, string reason);

    [LoggerMessage(EventId = 2403, Level = LogLevel.Warning, Message = "Model list unavailable ({Reason}); serving the built-in list for now")]
    public static partial void ModelsFallback(ILogger logger, string reason);

    [LoggerMessage(EventId = 2404, Level = LogLevel.Debug, Message = "Unknown model {Requested}; using the default {DefaultModel}")]
    public static partial void UnknownModel(ILogger logger, string requested, string defaultModel);
}
