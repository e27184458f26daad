using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace QwenFunctions.Video;

/// <summary>
/// A bounded monitor: start the upstream task once, then poll it on a durable timer until it succeeds, fails or
/// passes the deadline. Deterministic: time from the context, waits by timers, every I/O in an activity.
/// </summary>
public static class VideoOrchestrator
{
    public const string Name = "VideoJobOrchestrator";

    [Function(Name)]
    public static Task<VideoJobResult?> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context, VideoJobInput input) =>
        RunCoreAsync(context, input);

    /// <summary>The orchestration body, shared by the Functions trigger above and the in-process test host.</summary>
    public static async Task<VideoJobResult?> RunCoreAsync(TaskOrchestrationContext context, VideoJobInput input)
    {
        var logger = context.CreateReplaySafeLogger(typeof(VideoOrchestrator));
        var deadlineAt = input.DeadlineAt ?? context.CurrentUtcDateTime + input.Deadline;
        var task = input.Task;
        var polls = input.Polls;

        if (task is null)
        {
            context.SetCustomStatus(new VideoProgress(VideoProgress.Queued, 0, input.Model, null, 0, context.CurrentUtcDateTime));
            VideoStartResult started;
            try
            {
                started = await context.CallActivityAsync<VideoStartResult>(VideoActivities.Start, new VideoStartRequest(input.Prompt, input.Model, input.AspectRatio));
            }
            catch (TaskFailedException)
            {
                // No automatic retry: a second start could spend another account's daily video.
                return Fail(context, input.Model, VideoErrorCodes.Internal, "Starting the video failed unexpectedly.");
            }

            if (started.Error is not null || started.TaskId is null || started.AccountId is null)
            {
                var error = started.Error ?? new VideoError(VideoErrorCodes.Internal, "Starting the video failed unexpectedly.");
                Log.VideoJobFailed(logger, context.InstanceId, error.Code);
                return new VideoJobResult(VideoJobResult.Failed, started.Model ?? input.Model, null, error, context.CurrentUtcDateTime);
            }

            task = new VideoTaskRef(started.TaskId, started.AccountId, started.Model ?? input.Model ?? "", context.CurrentUtcDateTime);
        }

        // Also on every continued execution, whose custom status starts empty: the job must not look queued again.
        context.SetCustomStatus(Progress(input, task, VideoProgress.InProgress, polls, null, null, context.CurrentUtcDateTime));

        for (var i = 0; i < input.PollsPerExecution; i++)
        {
            var now = context.CurrentUtcDateTime;
            if (now >= deadlineAt)
            {
                Log.VideoJobFailed(logger, context.InstanceId, VideoErrorCodes.Timeout);
                return Fail(context, task.Model, VideoErrorCodes.Timeout,
                    $"The upstream did not finish the video within {input.Deadline}; the job was stopped.");
            }

            var wait = input.PollInterval < deadlineAt - now ? input.PollInterval : deadlineAt - now;
            await context.CreateTimer(wait, CancellationToken.None);

            VideoPollResult poll;
            try
            {
                poll = await context.CallActivityAsync<VideoPollResult>(VideoActivities.Poll, new VideoPollRequest(task.TaskId, task.AccountId));
            }
            catch (TaskFailedException)
            {
                poll = new VideoPollResult(VideoPollOutcome.Retry, null, null, null, new VideoError(VideoErrorCodes.Internal, "A status poll failed."));
            }

            polls++;
            switch (poll.Outcome)
            {
                case VideoPollOutcome.Succeeded:
                    context.SetCustomStatus(new VideoProgress(VideoJobResult.Completed, 100, task.Model, poll.UpstreamStatus, polls, context.CurrentUtcDateTime));
                    Log.VideoJobCompleted(logger, context.InstanceId, polls);
                    return new VideoJobResult(VideoJobResult.Completed, task.Model, poll.VideoUrl, null, context.CurrentUtcDateTime);
                case VideoPollOutcome.Failed:
                    var error = poll.Error ?? new VideoError(VideoErrorCodes.TaskFailed, "The upstream video generation failed.");
                    Log.VideoJobFailed(logger, context.InstanceId, error.Code);
                    return new VideoJobResult(VideoJobResult.Failed, task.Model, null, error, context.CurrentUtcDateTime);
                default:
                    context.SetCustomStatus(Progress(input, task, VideoProgress.InProgress, polls, poll.UpstreamStatus, poll.RemainingSeconds, context.CurrentUtcDateTime));
                    break;
            }
        }

        // Keeps the history to one execution's worth of polls; the deadline and the task carry over.
        context.ContinueAsNew(input with { Task = task, DeadlineAt = deadlineAt, Polls = polls });
        return null;
    }

    /// <summary>
    /// The upstream reports no percentage, so progress is elapsed time against the typical duration (or against the
    /// v2 remaining_time when given), capped at 95 until the video exists: a bar that never lies about being done.
    /// </summary>
    internal static int EstimateProgress(TimeSpan elapsed, TimeSpan expected, double? remainingSeconds)
    {
        var fraction = remainingSeconds is > 0
            ? elapsed.TotalSeconds / (elapsed.TotalSeconds + remainingSeconds.Value)
            : elapsed / expected;
        return 5 + (int)Math.Round(90 * Math.Clamp(fraction, 0, 1));
    }

    private static VideoProgress Progress(VideoJobInput input, VideoTaskRef task, string stage, int polls, string? upstreamStatus, double? remaining, DateTime now) =>
        new(stage, EstimateProgress(now - task.StartedAt, input.ExpectedDuration, remaining), task.Model, upstreamStatus, polls, now);

    private static VideoJobResult Fail(TaskOrchestrationContext context, string? model, string code, string message) =>
        new(VideoJobResult.Failed, model, null, new VideoError(code, message), context.CurrentUtcDateTime);
}
