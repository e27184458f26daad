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

/// <summary>
/// The one status vocabulary of a video job: what clients see, the custom status' stage and the output's status
/// (the stored values are the same strings, so instances started before a deployment still read right).
/// </summary>
public static class VideoJobStatus
{
    public const string Queued = "queued";
    public const string InProgress = "in_progress";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}
