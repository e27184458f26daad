using System.ComponentModel.DataAnnotations;
using QwenFunctions.Upstream;

namespace QwenFunctions.Video;

/// <summary>Video job settings (section "Video", e.g. Video__PollInterval=00:00:05).</summary>
public sealed class VideoOptions
{
    public const string SectionName = "Video";

    /// <summary>Time between two upstream status polls. The web front-end polls about every 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A job still running upstream after this long fails with a timeout (captures took 93 s to 343 s).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "06:00:00")]
    public TimeSpan Deadline { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Typical upstream duration; only used to estimate progress, since the upstream reports none.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ExpectedDuration { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Polls per orchestration execution before it continues as new, which keeps the durable history short.</summary>
    [Range(1, 1000)]
    public int PollsPerExecution { get; set; } = 60;

    /// <summary>Model when a request names none. Empty: Qwen:DefaultModel, else the first upstream model that lists t2v.</summary>
    public string? DefaultModel { get; set; }

    /// <summary>Aspect ratio when a request names none.</summary>
    [RegularExpression(AspectRatios.Pattern)]
    public string DefaultSize { get; set; } = "16:9";
}
