namespace QwenFunctions.Video;

// Everything in this file is stored by the durable backend (inputs, outputs, custom status, history).
// Nothing here may ever hold a token or cookie: accounts travel as their fingerprint id only.

/// <summary>The orchestration input. The continuation fields are null on the first execution.</summary>
public sealed record VideoJobInput(
    string Prompt,
    string? Model,
    string AspectRatio,
    string? RequestedSize,
    DateTimeOffset CreatedAt,
    TimeSpan PollInterval,
    TimeSpan Deadline,
    TimeSpan ExpectedDuration,
    int PollsPerExecution)
{
    /// <summary>The upstream task, once the start activity created it.</summary>
    public VideoTaskRef? Task { get; init; }

    /// <summary>Fixed on the first execution so that ContinueAsNew does not move it.</summary>
    public DateTime? DeadlineAt { get; init; }

    public int Polls { get; init; }

    /// <summary>The caller that started the job (<c>HttpPipeline.CallerId</c>: a key id, never a key); only it sees the job.</summary>
    public string? Owner { get; init; }
}

/// <summary>An upstream video task and the account (by id) that owns it.</summary>
public sealed record VideoTaskRef(string TaskId, string AccountId, string Model, DateTime StartedAt);

/// <summary>Start, step one: a t2v chat on an account whose video quota is free. Harmless to repeat.</summary>
public sealed record VideoChatRequest(string? Model);

/// <summary>Either the chat (ChatId, AccountId, Model) or an error; activities report failures as data.</summary>
public sealed record VideoChatResult(string? ChatId, string? AccountId, string? Model, VideoError? Error);

/// <summary>Start, step two: the creation message in that chat, on that account only.</summary>
public sealed record VideoSendRequest(string ChatId, string AccountId, string Model, string Prompt, string AspectRatio);

public enum VideoSendOutcome
{
    /// <summary>The chat holds a video task (just created, or found from an earlier send).</summary>
    Started,

    /// <summary>The upstream refused before creating anything (quota, token): another account may try.</summary>
    Refused,

    /// <summary>The upstream may or may not have accepted, and the chat shows no task yet: only this chat may try again.</summary>
    Unconfirmed,

    /// <summary>A definite failure (content, input, firewall): the job fails.</summary>
    Failed,
}

public sealed record VideoSendResult(VideoSendOutcome Outcome, string? TaskId, VideoError? Error);

public sealed record VideoPollRequest(string TaskId, string AccountId);

public enum VideoPollOutcome
{
    Running,
    Succeeded,
    Failed,

    /// <summary>The poll itself failed in a way worth another poll (network, 5xx, WAF).</summary>
    Retry,
}

public sealed record VideoPollResult(VideoPollOutcome Outcome, string? UpstreamStatus, string? VideoUrl, double? RemainingSeconds, VideoError? Error);

/// <summary>
/// The custom status: small, set after every step, read by GET /api/videos/{id}. <paramref name="Stage"/> is a
/// <see cref="VideoJobStatus"/> (queued, in_progress, completed).
/// </summary>
public sealed record VideoProgress(string Stage, int Progress, string? Model, string? UpstreamStatus, int Polls, DateTime UpdatedAt);

/// <summary>
/// The orchestration output. A failed job is a completed orchestration whose result says so: <paramref name="Status"/>
/// is <see cref="VideoJobStatus.Completed"/> or <see cref="VideoJobStatus.Failed"/>.
/// </summary>
public sealed record VideoJobResult(string Status, string? Model, string? VideoUrl, VideoError? Error, DateTime CompletedAt);

public sealed record VideoError(string Code, string Message);
