using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using QwenFunctions.Docs;
using QwenFunctions.Http;
using QwenFunctions.Upstream;

namespace QwenFunctions.Video;

/// <summary>The two wire shapes of a job: native (ISO times, our status URL) and OpenAI's Videos API (`object: "video"`).</summary>
[OpenApiJsonOptions(typeof(VideoResponses), nameof(VideoResponses.Json))]
public static class VideoResponses
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string StatusPath(string id) => Routes.PathOf(Routes.Video, id);

    public static string OpenAIStatusPath(string id) => Routes.PathOf(Routes.VideoV1, id);

    /// <summary>202 with Location and Retry-After: what POST /api/videos (and /api/chat with chatType t2v) answers.</summary>
    public static IResult Accepted(VideoJob job, TimeSpan retryAfter) =>
        new JobResult(StatusCodes.Status202Accepted, ToNative(job), StatusPath(job.Id), retryAfter);

    public static IResult Native(VideoJob job, TimeSpan retryAfter) =>
        new JobResult(StatusCodes.Status200OK, ToNative(job), null, job.IsTerminal ? null : retryAfter);

    public static IResult OpenAIAccepted(VideoJob job, TimeSpan retryAfter) =>
        new JobResult(StatusCodes.Status202Accepted, ToOpenAI(job), OpenAIStatusPath(job.Id), retryAfter);

    public static IResult OpenAI(VideoJob job) => new JobResult(StatusCodes.Status200OK, ToOpenAI(job), null, null);

    public static IResult OpenAIDeleted(string id) =>
        new JobResult(StatusCodes.Status200OK, new OpenAIVideoDeleted(id, "video.deleted", true), null, null);

    /// <summary>The seed's GET /api/tasks/status/{id} shape: task_id, status, data.</summary>
    public static IResult TaskStatus(VideoJob job) =>
        new JobResult(StatusCodes.Status200OK, new SeedTaskStatus(job.Id, job.Status, ToNative(job)), null, null);

    public static NativeVideoJob ToNative(VideoJob job) => new(
        job.Id, "video.job", job.Status, job.Progress, job.CreatedAt, job.CompletedAt, job.VideoUrl,
        job.Error is null ? null : new VideoErrorBody(job.Error.Code, job.Error.Message),
        job.Model, job.Prompt, job.AspectRatio, StatusPath(job.Id));

    public static OpenAIVideo ToOpenAI(VideoJob job) => new(
        job.Id, "video", job.Model ?? "", job.Status, job.Progress, job.CreatedAt.ToUnixTimeSeconds(), job.CompletedAt?.ToUnixTimeSeconds(),
        null, "5", job.RequestedSize ?? AspectRatios.ToPixelSize(job.AspectRatio), job.Prompt, null,
        job.Error is null ? null : new VideoErrorBody(job.Error.Code, job.Error.Message));

    public sealed record NativeVideoJob(
        string Id, string Object, string Status, int Progress, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, string? VideoUrl,
        VideoErrorBody? Error, string? Model, string Prompt, string Size, string StatusUrl);

    public sealed record OpenAIVideo(
        string Id, string Object, string Model, string Status, int Progress, long CreatedAt, long? CompletedAt, long? ExpiresAt,
        string Seconds, string Size, string Prompt, string? RemixedFromVideoId, VideoErrorBody? Error);

    public sealed record VideoErrorBody(string Code, string Message);

    public sealed record OpenAIVideoDeleted(string Id, string Object, bool Deleted);

    public sealed record SeedTaskStatus(string TaskId, string Status, NativeVideoJob Data);

    private sealed class JobResult(int status, object body, string? location, TimeSpan? retryAfter) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            if (location is not null)
            {
                response.Headers.Location = location;
            }

            if (retryAfter is { } wait)
            {
                response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            response.ContentType = "application/json; charset=utf-8";
            await JsonSerializer.SerializeAsync(response.Body, body, body.GetType(), Json, httpContext.RequestAborted);
        }
    }
}
