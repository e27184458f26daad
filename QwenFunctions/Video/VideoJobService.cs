using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
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
/// Starts, reads and cancels video jobs through the durable client. A job id is "video_" + 32 hex digits and is the
/// orchestration instance id; ids of any other shape are unknown, so no other orchestration can be read through here.
/// A job belongs to the caller that started it (the <c>owner</c> of every method): to any other caller it is
/// unknown (404), so a job id that leaks gives nobody else its status, its video or its cancellation.
/// </summary>
public sealed class VideoJobService(
    AccountPool pool, IOptionsMonitor<VideoOptions> options, ModelCatalog models, TimeProvider time, QwenMetrics metrics, ILogger<VideoJobService> logger)
{
    public const string IdPrefix = "video_";
    public const int MaxPromptLength = 4000;

    /// <summary>How long a client should wait before polling a job (the Retry-After of 202 answers).</summary>
    public TimeSpan RetryAfter => options.CurrentValue.PollInterval;

    /// <summary>Starts a job from a native request (size is an aspect ratio). Also what POST /api/chat uses for chatType t2v.</summary>
    /// <exception cref="ApiException">400 for a missing prompt or a size outside the five aspect ratios.</exception>
    public Task<VideoJob> StartAsync(DurableTaskClient client, string? prompt, string? model, string? size, string owner, CancellationToken cancellationToken) =>
        StartAsync(client, prompt, model, AspectRatios.ParseExact(size, options.CurrentValue.DefaultSize), null, null, owner, cancellationToken);

    /// <summary>Starts a job. The same <paramref name="idempotencyKey"/> always yields the same job, never a second video.</summary>
    public async Task<VideoJob> StartAsync(
        DurableTaskClient client, string? prompt, string? model, string aspectRatio, string? requestedSize, string? idempotencyKey, string owner, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(prompt))
        {
            throw ApiException.BadRequest("prompt is required.", "prompt", "missing_prompt");
        }

        if (prompt.Length > MaxPromptLength)
        {
            throw ApiException.BadRequest($"prompt is longer than {MaxPromptLength} characters.", "prompt", "prompt_too_long");
        }

        var settings = options.CurrentValue;
        var id = idempotencyKey is { Length: > 0 } ? IdFromKey(idempotencyKey) : IdPrefix + Guid.NewGuid().ToString("N");
        if (idempotencyKey is { Length: > 0 } && await FindAsync(client, id, owner, cancellationToken) is { } existing)
        {
            return existing;
        }

        await EnsureSomeAccountCanStartAsync(cancellationToken);

        // A configured default is known now; only "the first upstream t2v model" waits for the start activity.
        var knownModel = models.NamedGenerationModel(model, settings.DefaultModel);
        var input = new VideoJobInput(prompt.Trim(), knownModel, aspectRatio, requestedSize,
            time.GetUtcNow(), settings.PollInterval, settings.Deadline, settings.ExpectedDuration, settings.PollsPerExecution)
        {
            Owner = owner,
        };
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(VideoOrchestrator.Name, input, new StartOrchestrationOptions { InstanceId = id }, cancellationToken);
        }
        catch (Exception ex) when (idempotencyKey is { Length: > 0 } && ex is not OperationCanceledException)
        {
            // Two requests with one key raced; the loser answers with the winner's job.
            return await FindAsync(client, id, owner, cancellationToken) ?? throw new InvalidOperationException("The video job could not be scheduled.", ex);
        }

        Log.VideoJobScheduled(logger, id);
        metrics.VideoJob("scheduled");
        Log.VideoPrompt(logger, id, input.Prompt);
        return new VideoJob(id, VideoJobStatus.Queued, 0, input.CreatedAt, null, null, null, input.Model, input.Prompt, aspectRatio, requestedSize) { Owner = owner };
    }

    /// <exception cref="ApiException">404 when the id is unknown.</exception>
    public async Task<VideoJob> GetAsync(DurableTaskClient client, string id, string owner, CancellationToken cancellationToken) =>
        await FindAsync(client, id, owner, cancellationToken) ?? throw NotFound(id);

    /// <summary>Stops a running job (status cancelled). The upstream has no cancel: the video it renders is simply dropped.</summary>
    /// <exception cref="ApiException">404 unknown id; 409 when the job already finished.</exception>
    public async Task<VideoJob> CancelAsync(DurableTaskClient client, string id, string owner, CancellationToken cancellationToken)
    {
        var job = await GetAsync(client, id, owner, cancellationToken);
        if (job.IsTerminal)
        {
            throw new ApiException(HttpStatusCode.Conflict, "invalid_request_error", "video_job_finished",
                $"The video job has already finished with status '{job.Status}'.", "id");
        }

        await client.TerminateInstanceAsync(id, new TerminateInstanceOptions("cancelled"), cancellationToken);
        Log.VideoJobCancelled(logger, id);
        metrics.VideoJob("cancelled");
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await client.WaitForInstanceCompletionAsync(id, wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The termination is queued and wins over any later poll; report it as done.
        }

        var after = await GetAsync(client, id, owner, cancellationToken);
        return after.IsTerminal ? after : after with { Status = VideoJobStatus.Cancelled };
    }

    /// <summary>OpenAI's DELETE: cancels a running job, then forgets it.</summary>
    public async Task DeleteAsync(DurableTaskClient client, string id, string owner, CancellationToken cancellationToken)
    {
        var job = await GetAsync(client, id, owner, cancellationToken);
        if (!job.IsTerminal)
        {
            job = await CancelAsync(client, id, owner, cancellationToken);
        }

        if (job.IsTerminal)
        {
            await client.PurgeInstanceAsync(id, cancellationToken);
        }
    }

    /// <summary>
    /// Fails fast while no account could start a video (429 + Retry-After when all are cooling down): such a job could
    /// only fail. Reads health without acquiring, so the round robin the start activity uses is left alone.
    /// </summary>
    private async Task EnsureSomeAccountCanStartAsync(CancellationToken cancellationToken)
    {
        if (pool.Accounts.Count == 0)
        {
            await pool.AcquireAsync(QwenFeature.Video, new HashSet<string>(), cancellationToken); // throws no_accounts_configured
        }

        var now = time.GetUtcNow();
        foreach (var account in pool.Accounts)
        {
            var health = await pool.GetHealthAsync(account, cancellationToken);
            if (!health.Invalid && !health.IsCoolingDown(QwenFeature.Video, now))
            {
                return;
            }
        }

        throw await pool.DescribeExhaustionAsync(QwenFeature.Video, cancellationToken);
    }

    internal static bool IsJobId(string? id) =>
        id is { Length: 38 } && id.StartsWith(IdPrefix, StringComparison.Ordinal) && id.AsSpan(IdPrefix.Length).ContainsAnyExcept("0123456789abcdef") is false;


    private static string IdFromKey(string key) =>
        IdPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("video-idempotency:" + key)))[..32];

    private static ApiException NotFound(string id) => ApiException.NotFound($"No video job with id '{(id.Length <= 64 ? id : id[..64])}'.", "video_not_found", "id");

    private static async Task<VideoJob?> FindAsync(DurableTaskClient client, string id, string owner, CancellationToken cancellationToken)
    {
        if (!IsJobId(id))
        {
            return null;
        }

        var metadata = await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken);
        var job = metadata is null || metadata.Name != VideoOrchestrator.Name ? null : VideoJobMapper.ToJob(metadata);

        // Jobs from before owners existed were started with an open API or one shared key set: the anonymous caller's.
        return job is not null && (job.Owner ?? HttpPipeline.AnonymousCaller) == owner ? job : null;
    }
}
