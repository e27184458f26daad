using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QwenFunctions.Accounts;
using QwenFunctions.Configuration;
using QwenFunctions.Http;
using QwenFunctions.Models;
using QwenFunctions.Telemetry;
using QwenFunctions.Upstream;

namespace QwenFunctions.Video;

/// <summary>
/// The I/O behind the video activities. Accounts are resolved to their token here and only here, so the
/// orchestration (and with it the durable store) sees nothing but account ids.
/// </summary>
public sealed class VideoUpstreamService(
    AccountPool pool,
    AccountAttemptRunner runner,
    QwenApiClient api,
    QwenChatClient chat,
    ModelCatalog models,
    IOptionsMonitor<VideoOptions> videoOptions,
    TimeProvider time,
    QwenMetrics metrics,
    ILogger<VideoUpstreamService> logger)
{
    /// <summary>Creates the t2v chat the video will be made in, on an account whose video quota is not cooling down.</summary>
    public async Task<VideoChatResult> CreateChatAsync(VideoChatRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var ((chatId, model), account) = await runner.RunAsync(QwenFeature.Video, null, async (account, ct) =>
            {
                var model = await ResolveModelAsync(request.Model, ct);
                return (await api.CreateChatAsync(account, model, "t2v", ct), model);
            }, cancellationToken);
            return new VideoChatResult(chatId, account.Id, model, null);
        }
        catch (ApiException ex)
        {
            Log.VideoStartFailed(logger, ex.Code ?? ex.Type, (int)ex.Status);
            return new VideoChatResult(null, null, null, ToVideoError(ex));
        }
    }

    /// <summary>
    /// Sends the creation message, idempotently: activities are at-least-once and the upstream has no idempotency key,
    /// so the chat itself is asked first whether it already holds a task (an earlier run may have been accepted), and
    /// after an ambiguous failure it is asked again. A refusal that created nothing is the only outcome that lets the
    /// job move to another account.
    /// </summary>
    public async Task<VideoSendResult> SendAsync(VideoSendRequest request, CancellationToken cancellationToken)
    {
        var result = await SendOnceAsync(request, cancellationToken);
        metrics.VideoJob(result.Outcome == VideoSendOutcome.Started ? "started" : "start_failed");
        return result;
    }

    private async Task<VideoSendResult> SendOnceAsync(VideoSendRequest request, CancellationToken cancellationToken)
    {
        if (pool.Find(request.AccountId) is not { } account)
        {
            return SendFailed(VideoErrorCodes.AccountUnavailable, "The account that owns this video chat is no longer configured.");
        }

        switch (await FindTaskAsync(account, request.ChatId, cancellationToken))
        {
            case (_, { } existing):
                Log.VideoTaskFound(logger, existing, account.Id);
                return new VideoSendResult(VideoSendOutcome.Started, existing, null);
            case (false, _):
                return Unconfirmed();
        }

        var completion = new QwenCompletionRequest(request.ChatId, request.Model, request.Prompt) { ChatType = "t2v", Size = request.AspectRatio, Stream = false };
        try
        {
            var (taskId, _) = await runner.RunAsync(QwenFeature.Video, account.Id, async (bound, ct) =>
            {
                using var answer = await chat.CompleteAsync(bound, completion, ct);
                return QwenApiClient.ReadVideoTaskId(answer.RootElement);
            }, cancellationToken);
            taskId ??= (await FindTaskAsync(account, request.ChatId, cancellationToken)).TaskId;
            if (taskId is null)
            {
                return SendFailed(VideoErrorCodes.NoTaskId, "The upstream accepted the video request but returned no task id.");
            }

            Log.VideoTaskCreated(logger, taskId, account.Id);
            return new VideoSendResult(VideoSendOutcome.Started, taskId, null);
        }
        catch (ApiException ex) when (ex.InnerException is QwenUpstreamException upstream)
        {
            Log.VideoStartFailed(logger, ex.Code ?? ex.Type, (int)ex.Status);
            if (MayHaveCreatedVideo(upstream.Kind))
            {
                // The runner did not rotate (the chat is bound), and the answer is lost: the chat tells whether it took.
                return (await FindTaskAsync(account, request.ChatId, cancellationToken)).TaskId is { } taskId
                    ? new VideoSendResult(VideoSendOutcome.Started, taskId, null)
                    : Unconfirmed();
            }

            // A rate limit or a rejected token created nothing; the runner has cooled down or invalidated the account.
            var outcome = upstream.Kind is UpstreamErrorKind.RateLimited or UpstreamErrorKind.Unauthorized ? VideoSendOutcome.Refused : VideoSendOutcome.Failed;
            return new VideoSendResult(outcome, null, ToVideoError(ex));
        }
        catch (ApiException ex)
        {
            // The bound account is unusable now (invalid, cooling down): nothing was sent.
            Log.VideoStartFailed(logger, ex.Code ?? ex.Type, (int)ex.Status);
            return new VideoSendResult(VideoSendOutcome.Refused, null, ToVideoError(ex));
        }
    }

    /// <summary>One status poll. Never throws for upstream answers: the orchestrator decides from the outcome.</summary>
    public async Task<VideoPollResult> PollAsync(VideoPollRequest request, CancellationToken cancellationToken)
    {
        var result = await PollOnceAsync(request, cancellationToken);
        if (result.Outcome is VideoPollOutcome.Succeeded or VideoPollOutcome.Failed)
        {
            metrics.VideoJob(result.Outcome == VideoPollOutcome.Succeeded ? "completed" : "failed");
        }

        return result;
    }

    private async Task<VideoPollResult> PollOnceAsync(VideoPollRequest request, CancellationToken cancellationToken)
    {
        // The bound account serves the poll even while its video feature cools down: only it can see the task.
        var account = pool.Find(request.AccountId);
        if (account is null)
        {
            return Failed(VideoErrorCodes.AccountUnavailable, "The account that owns this video is no longer configured; the video cannot be retrieved.");
        }

        if ((await pool.GetHealthAsync(account, cancellationToken)).Invalid)
        {
            return Failed(VideoErrorCodes.AccountInvalid, "The account that owns this video was rejected by the upstream; the video cannot be retrieved.");
        }

        try
        {
            var status = await api.GetVideoTaskStatusAsync(account, request.TaskId, cancellationToken);
            return status.Status switch
            {
                "running" or "pending" or "queued" => new VideoPollResult(VideoPollOutcome.Running, status.Status, null, status.RemainingSeconds, null),
                "success" or "completed" when status.VideoUrl is not null => new VideoPollResult(VideoPollOutcome.Succeeded, status.Status, status.VideoUrl, 0, null),
                "success" or "completed" => new VideoPollResult(VideoPollOutcome.Failed, status.Status, null, null,
                    new VideoError(VideoErrorCodes.TaskFailed, "The upstream reported success without a video URL.")),
                _ => new VideoPollResult(VideoPollOutcome.Failed, status.Status, null, null, new VideoError(VideoErrorCodes.TaskFailed,
                    $"The upstream video generation ended with status '{Short(status.Status)}'" + (string.IsNullOrWhiteSpace(status.Message) ? "." : $": {Short(status.Message)}"))),
            };
        }
        catch (QwenUpstreamException ex)
        {
            Log.VideoPollFailed(logger, request.TaskId, account.Id, ex.Kind.ToString());
            switch (ex.Kind)
            {
                case UpstreamErrorKind.Unauthorized:
                    await pool.InvalidateAsync(account, AccountAttemptRunner.InvalidReason(ex), cancellationToken);
                    return Failed(VideoErrorCodes.AccountInvalid, "The account that owns this video was rejected by the upstream; the video cannot be retrieved.");
                case UpstreamErrorKind.NotFound:
                    return Failed(VideoErrorCodes.TaskNotFound, "The upstream does not know this video task.");
                case UpstreamErrorKind.ContentFilter:
                    return Failed("content_filter", "The upstream refused the content (data_inspection_failed).");
                default:
                    // Network, 5xx, WAF, a rate-limited status call: the task itself is fine, so poll again later.
                    return new VideoPollResult(VideoPollOutcome.Retry, null, null, null, new VideoError("upstream_" + ex.Kind.ToString().ToLowerInvariant(), UpstreamFailurePolicy.ToApiException(ex).Message));
            }
        }
    }

    /// <summary>Whether the chat could be read, and the video task it holds (null when none yet).</summary>
    private async Task<(bool Readable, string? TaskId)> FindTaskAsync(QwenAccount account, string chatId, CancellationToken cancellationToken)
    {
        try
        {
            using var details = await api.GetChatDetailsAsync(account, chatId, cancellationToken);
            return (true, QwenApiClient.ReadVideoTaskIdFromChat(details.RootElement));
        }
        catch (QwenUpstreamException ex)
        {
            Log.VideoChatUnreadable(logger, account.Id, ex.Kind.ToString());
            return (false, null);
        }
    }

    /// <summary>
    /// Failures after which the upstream may well have accepted the request: no answer in time, a 5xx or a broken
    /// connection after the request went out, a 200 we could not read, or the chat still busy with an earlier send.
    /// </summary>
    private static bool MayHaveCreatedVideo(UpstreamErrorKind kind) =>
        kind is UpstreamErrorKind.Timeout or UpstreamErrorKind.StreamInterrupted or UpstreamErrorKind.EmptyStream
            or UpstreamErrorKind.Transient or UpstreamErrorKind.ChatInProgress;

    private static VideoSendResult Unconfirmed() => new(VideoSendOutcome.Unconfirmed, null, new VideoError(VideoErrorCodes.CreationUnconfirmed,
        "The upstream did not confirm the video request and its chat shows no video task; it was not sent to another account, so that no second video is made."));

    private static VideoSendResult SendFailed(string code, string message) => new(VideoSendOutcome.Failed, null, new VideoError(code, message));

    private async Task<string> ResolveModelAsync(string? requested, CancellationToken cancellationToken) =>
        await models.ResolveGenerationModelAsync(requested, videoOptions.CurrentValue.DefaultModel, "t2v", cancellationToken)
            ?? throw new QwenUpstreamException(UpstreamErrorKind.BadRequest, "No upstream model supports video (t2v); set Video:DefaultModel.");

    private VideoError ToVideoError(ApiException ex)
    {
        if (ex.Type == "insufficient_quota")
        {
            var retryAt = time.GetUtcNow() + (ex.RetryAfter ?? TimeSpan.FromHours(24));
            return new VideoError(VideoErrorCodes.QuotaExhausted,
                $"Video quota exhausted on every account; retry after {retryAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}.");
        }

        return new VideoError(ex.Code ?? ex.Type, ex.Message);
    }

    private static VideoPollResult Failed(string code, string message) => new(VideoPollOutcome.Failed, null, null, null, new VideoError(code, message));


    private static string Short(string? text) => text is null ? "" : text.Length <= 200 ? text : text[..200] + "…";
}
