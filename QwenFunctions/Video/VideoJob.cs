namespace QwenFunctions.Video;

/// <summary>A video job as clients see it, before it is shaped for the native or the OpenAI surface.</summary>
public sealed record VideoJob(
    string Id,
    string Status,
    int Progress,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    string? VideoUrl,
    VideoError? Error,
    string? Model,
    string Prompt,
    string AspectRatio,
    string? RequestedSize)
{
    /// <summary>The caller that started the job; null only for jobs started before jobs had owners.</summary>
    public string? Owner { get; init; }

    public bool IsTerminal => Status is VideoJobStatus.Completed or VideoJobStatus.Failed or VideoJobStatus.Cancelled;
}

public static class VideoJobStatus
{
    public const string Queued = "queued";
    public const string InProgress = "in_progress";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}
