namespace QwenFunctions.Tests.Emulator;

/// <summary>
/// Behaviour switches of <see cref="QwenEmulator"/>. The instance passed to <see cref="QwenEmulator.StartAsync"/> stays
/// live (<see cref="QwenEmulator.Options"/>), so a test may change a switch between requests.
/// </summary>
public sealed class QwenEmulatorOptions
{
    /// <summary>Write endpoints (all POSTs except chats/new) answer Bad_Request when the <c>version</c> header is missing.</summary>
    public bool StrictHeaders { get; set; } = true;

    /// <summary>Clock for timestamps, STS expiry, video task lifetime and delays. Tests may pass a FakeTimeProvider.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Append <c>data: [DONE]</c> after the final event (real upstream does not).</summary>
    public bool SendDoneMarker { get; set; }

    /// <summary>The first SSE line ends with a trailing space, as seen in captures.</summary>
    public bool TrailingSpaceOnFirstEvent { get; set; } = true;

    /// <summary>How many incremental <c>answer</c> deltas the answer text is split into (at least 1).</summary>
    public int AnswerDeltaCount { get; set; } = 3;

    /// <summary>Writes every SSE event in pieces of this many bytes, each flushed on its own (so one event, or one UTF-8
    /// character, arrives in several TCP writes); 0 writes each event at once.</summary>
    public int EventWriteChunkBytes { get; set; }

    /// <summary>How many <c>thinking_summary</c> events (cumulative) precede the answer when thinking is enabled.</summary>
    public int ThinkingSummaryEvents { get; set; } = 2;

    /// <summary><c>response.info</c> keep-alive events before a text answer.</summary>
    public int KeepAliveEvents { get; set; }

    /// <summary><c>response.info</c> keep-alive events before the images of a t2i / image_edit stream.</summary>
    public int ImageKeepAliveEvents { get; set; } = 1;

    /// <summary>Delay before each keep-alive event (on <see cref="TimeProvider"/>); zero sends them back to back.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.Zero;

    /// <summary>Number of <c>image_gen</c> events (one URL each) in a t2i / image_edit stream.</summary>
    public int ImageCount { get; set; } = 1;

    /// <summary>When false the t2i stream carries no URL; the images are only in <c>GET /api/v2/chats/{id}</c>.</summary>
    public bool ImageUrlsInStream { get; set; } = true;

    /// <summary>Compress responses (gzip or br) when the request's Accept-Encoding allows it.</summary>
    public bool HonourAcceptEncoding { get; set; } = true;

    /// <summary>Models served by <c>/api/models</c> and <c>/api/v2/models/</c>.</summary>
    public IList<EmulatorModel> Models { get; set; } = EmulatorModel.Defaults();

    /// <summary>Status polls that answer <c>running</c> before a video task may succeed.</summary>
    public int VideoRunningPolls { get; set; } = 1;

    /// <summary>Minimum task age (on <see cref="TimeProvider"/>) before a video task may succeed.</summary>
    public TimeSpan VideoTaskDuration { get; set; } = TimeSpan.Zero;

    /// <summary>When false <c>GET /api/v2/task/status/{id}</c> answers a real HTTP 404, to exercise the v1 fallback.</summary>
    public bool TaskStatusV2Enabled { get; set; } = true;

    /// <summary>Status polls that answer <c>running</c> before a file parse succeeds.</summary>
    public int ParseRunningPolls { get; set; } = 1;

    /// <summary>Bucket named in STS answers.</summary>
    public string OssBucket { get; set; } = "qwen-webui-prod";

    /// <summary>Region named in STS answers.</summary>
    public string OssRegion { get; set; } = "oss-ap-southeast-1";

    /// <summary>The <c>endpoint</c> field of STS answers (the real host; uploads go to <see cref="QwenEmulator.OssEndpoint"/>).</summary>
    public string StsEndpointField { get; set; } = "oss-accelerate.aliyuncs.com";

    /// <summary>Base of image and video URLs. Null means the emulator's own <c>/cdn/</c> route, which serves small fake files.</summary>
    public Uri? CdnBaseAddress { get; set; }

    /// <summary>Lifetime of the access tokens the auth host mints (exp - iat; 15 minutes upstream, §10.1).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Each refresh returns a new refresh token and retires the one sent (§10.1 "build for rotation").</summary>
    public bool RotateRefreshTokens { get; set; } = true;

    /// <summary>How long a refresh takes (on <see cref="TimeProvider"/>), to widen the window in which two could overlap.</summary>
    public TimeSpan RefreshDelay { get; set; } = TimeSpan.Zero;
}
