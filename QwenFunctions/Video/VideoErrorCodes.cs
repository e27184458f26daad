namespace QwenFunctions.Video;

/// <summary>The `error.code` values a failed video job can carry.</summary>
public static class VideoErrorCodes
{
    public const string QuotaExhausted = "video_quota_exhausted";
    public const string Timeout = "video_timeout";
    public const string TaskFailed = "video_generation_failed";
    public const string TaskNotFound = "video_task_not_found";
    public const string AccountInvalid = "account_invalid";
    public const string AccountUnavailable = "account_unavailable";
    public const string NoTaskId = "upstream_no_task_id";
    public const string CreationUnconfirmed = "upstream_creation_unconfirmed";
    public const string Internal = "internal_error";
}
