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

    // Accounts a start may move through after refusals, and sends into one chat before an unconfirmed start fails.
    private const int MaxStartAccounts = 3;
    private const int MaxSends = 3;

    [Function(Name)]
    public static async Task<VideoJobResult?> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context, VideoJobInput input)
    {
        var logger = context.CreateReplaySafeLogger(typeof(VideoOrchestrator));
        var deadlineAt = input.DeadlineAt ?? context.CurrentUtcDateTime + input.Deadline;
        var task = input.Task;
        var polls = input.Polls;

        if (task is null)
        {
            context.SetCustomStatus(new VideoProgress(VideoJobStatus.Queued, 0, input.Model, null, 0, context.CurrentUtcDateTime));
            var (started, error, model) = await StartTaskAsync(context, input);
            if (started is null)
            {
                error ??= new VideoError(VideoErrorCodes.Internal, "Starting the video failed unexpectedly.");
                Log.VideoJobFailed(logger, context.InstanceId, error.Code);
                return new VideoJobResult(VideoJobStatus.Failed, model ?? input.Model, null, error, context.CurrentUtcDateTime);
            }

            task = started;
        }

        // Also on every continued execution, whose custom status starts empty: the job must not look queued again.
        context.SetCustomStatus(Progress(input, task, VideoJobStatus.InProgress, polls, null, null, context.CurrentUtcDateTime));

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
                    context.SetCustomStatus(new VideoProgress(VideoJobStatus.Completed, 100, task.Model, poll.UpstreamStatus, polls, context.CurrentUtcDateTime));
                    Log.VideoJobCompleted(logger, context.InstanceId, polls);
                    return new VideoJobResult(VideoJobStatus.Completed, task.Model, poll.VideoUrl, null, context.CurrentUtcDateTime);
                case VideoPollOutcome.Failed:
                    var error = poll.Error ?? new VideoError(VideoErrorCodes.TaskFailed, "The upstream video generation failed.");
                    Log.VideoJobFailed(logger, context.InstanceId, error.Code);
                    return new VideoJobResult(VideoJobStatus.Failed, task.Model, null, error, context.CurrentUtcDateTime);
                default:
                    context.SetCustomStatus(Progress(input, task, VideoJobStatus.InProgress, polls, poll.UpstreamStatus, poll.RemainingSeconds, context.CurrentUtcDateTime));
                    break;
            }
        }

        // Keeps the history to one execution's worth of polls; the deadline and the task carry over.
        context.ContinueAsNew(input with { Task = task, DeadlineAt = deadlineAt, Polls = polls });
        return null;
    }

    /// <summary>
    /// Creates the chat in one recorded step, then sends the creation into it. A refusal that created nothing (quota,
    /// token) moves to a new chat on another account; an unconfirmed send is repeated in the same chat only, after a
    /// pause, and the send activity asks the chat for an existing task before it sends anything.
    /// </summary>
    private static async Task<(VideoTaskRef? Task, VideoError? Error, string? Model)> StartTaskAsync(TaskOrchestrationContext context, VideoJobInput input)
    {
        VideoError? refusal = null;
        for (var account = 0; account < MaxStartAccounts; account++)
        {
            VideoChatResult chat;
            try
            {
                chat = await context.CallActivityAsync<VideoChatResult>(VideoActivities.CreateChat, new VideoChatRequest(input.Model));
            }
            catch (TaskFailedException)
            {
                return (null, null, input.Model);
            }

            if (chat is not { ChatId: { } chatId, AccountId: { } accountId, Model: { } model })
            {
                // Every account is cooling down or invalid now; after a refusal that is the quota message the client needs.
                return (null, chat.Error ?? refusal, chat.Model ?? input.Model);
            }

            var sent = await SendUntilSettledAsync(context, input, new VideoSendRequest(chatId, accountId, model, input.Prompt, input.AspectRatio));
            switch (sent.Outcome)
            {
                case VideoSendOutcome.Started:
                    return (new VideoTaskRef(sent.TaskId!, accountId, model, context.CurrentUtcDateTime), null, model);
                case VideoSendOutcome.Refused:
                    refusal = sent.Error;
                    continue;
                default:
                    return (null, sent.Error, model);
            }
        }

        return (null, refusal, input.Model);
    }

    private static async Task<VideoSendResult> SendUntilSettledAsync(TaskOrchestrationContext context, VideoJobInput input, VideoSendRequest request)
    {
        for (var send = 1; ; send++)
        {
            VideoSendResult sent;
            try
            {
                sent = await context.CallActivityAsync<VideoSendResult>(VideoActivities.Send, request);
            }
            catch (TaskFailedException)
            {
                // Whether it reached the upstream is unknown: as ambiguous as a lost answer.
                sent = new VideoSendResult(VideoSendOutcome.Unconfirmed, null,
                    new VideoError(VideoErrorCodes.CreationUnconfirmed, "Sending the video request failed unexpectedly; it was not sent to another account."));
            }

            if (sent.Outcome != VideoSendOutcome.Unconfirmed || send == MaxSends)
            {
                return sent.Outcome == VideoSendOutcome.Unconfirmed ? sent with { Outcome = VideoSendOutcome.Failed } : sent;
            }

            // Give an upstream that is still working on the first send time to show its task in the chat.
            await context.CreateTimer(input.PollInterval, CancellationToken.None);
        }
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
        new(VideoJobStatus.Failed, model, null, new VideoError(code, message), context.CurrentUtcDateTime);
}
