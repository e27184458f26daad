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
    /// <summary>Creates the upstream task on an account whose video quota is not cooling down.</summary>
    public async Task<VideoStartResult> StartAsync(VideoStartRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var (started, account) = await runner.RunAsync(QwenFeature.Video, null, (account, ct) => CreateTaskAsync(account, request, ct), cancellationToken);
            if (started.Error is null)
            {
                Log.VideoTaskCreated(logger, started.TaskId!, account.Id);
            }

            metrics.VideoJob(started.Error is null ? "started" : "start_failed");

            return started with { AccountId = account.Id };
        }
        catch (ApiException ex)
        {
            Log.VideoStartFailed(logger, ex.Code ?? ex.Type, (int)ex.Status);
            metrics.VideoJob("start_failed");
            return new VideoStartResult(null, null, null, ToVideoError(ex));
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
                    await pool.InvalidateAsync(account, ex.Message, cancellationToken);
                    return Failed(VideoErrorCodes.AccountInvalid, "The account that owns this video was rejected by the upstream; the video cannot be retrieved.");
                case UpstreamErrorKind.NotFound:
                    return Failed(VideoErrorCodes.TaskNotFound, "The upstream does not know this video task.");
                case UpstreamErrorKind.ContentFilter:
                    return Failed("content_filter", "The upstream refused the content (data_inspection_failed).");
                default:
                    // Network, 5xx, WAF, a rate-limited status call: the task itself is fine, so poll again later.
                    return new VideoPollResult(VideoPollOutcome.Retry, null, null, null, new VideoError("upstream_" + ex.Kind.ToString().ToLowerInvariant(), ex.Message));
            }
        }
    }

    private async Task<VideoStartResult> CreateTaskAsync(QwenAccount account, VideoStartRequest request, CancellationToken cancellationToken)
    {
        var model = await ResolveModelAsync(request.Model, cancellationToken);
        var chatId = await api.CreateChatAsync(account, model, "t2v", cancellationToken);
        var completion = new QwenCompletionRequest(chatId, model, request.Prompt) { ChatType = "t2v", Size = request.AspectRatio, Stream = false };
        try
        {
            using var answer = await chat.CompleteAsync(account, completion, cancellationToken);
            return QwenApiClient.ReadVideoTaskId(answer.RootElement) is { } taskId
                ? new VideoStartResult(taskId, null, model, null)
                : new VideoStartResult(null, null, model, new VideoError(VideoErrorCodes.NoTaskId, "The upstream accepted the video request but returned no task id."));
        }
        catch (QwenUpstreamException ex) when (MayHaveCreatedVideo(ex))
        {
            // The request may have reached the upstream and spent this account's daily video; another account
            // would make a second video. Fail honestly instead of rotating.
            return new VideoStartResult(null, null, model, new VideoError(VideoErrorCodes.CreationUnconfirmed,
                "The upstream did not confirm the video request in time; it was not retried to avoid creating the video twice."));
        }
    }

    /// <summary>
    /// Failures after which the upstream may well have accepted the request: no answer in time, or a 200 we could not
    /// read. Refusals (RateLimited, Unauthorized, 5xx, connection failures) are safe to try on another account.
    /// </summary>
    private static bool MayHaveCreatedVideo(QwenUpstreamException ex) =>
        ex.Kind is UpstreamErrorKind.Timeout or UpstreamErrorKind.StreamInterrupted or UpstreamErrorKind.EmptyStream
        || (ex.Kind is UpstreamErrorKind.Transient && ex.InnerException is System.Text.Json.JsonException);

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
