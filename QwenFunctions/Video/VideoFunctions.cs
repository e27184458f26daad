using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using QwenFunctions.Docs;
using QwenFunctions.Http;
using QwenFunctions.Upstream;

namespace QwenFunctions.Video;

/// <summary>Native video routes (/api/videos) and the seed's task status route.</summary>
public sealed class VideoFunctions(VideoJobService jobs, IOptionsMonitor<VideoOptions> videoOptions, RequestBodyReader bodyReader)
{
    [OpenApiOperation("createVideo", "Video", Summary = "Start a video job")]
    [OpenApiParameter("Idempotency-Key", In = ParameterLocation.Header, Description = "Retrying with the same key returns the same job instead of starting another.")]
    [OpenApiRequestBody(OpenApiErrors.Json, typeof(VideoOpenApi.VideoCreateBody))]
    [OpenApiResponseWithBody(HttpStatusCode.Accepted, OpenApiErrors.Json, typeof(VideoResponses.NativeVideoJob), Description = "The job started; poll Location until status is completed or failed.")]
    [OpenApiResponseHeader(HttpStatusCode.Accepted, "Location", "The job's status URL.")]
    [OpenApiResponseHeader(HttpStatusCode.Accepted, "Retry-After", "Seconds until the first useful poll.")]
    [OpenApiErrors(HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.TooManyRequests, HttpStatusCode.ServiceUnavailable)]
    [Function("CreateVideo")]
    public async Task<IResult> CreateAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.Videos)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(request, cancellationToken);
        var body = await VideoCreateRequest.ReadAsync(request, bodyReader, cancel.Token);
        var ratio = AspectRatios.ParseExact(body.Size, videoOptions.CurrentValue.DefaultSize);
        var job = await jobs.StartAsync(client, body.Prompt, body.Model, ratio, body.Size, body.IdempotencyKey, HttpPipeline.CallerId(request.HttpContext), cancel.Token);
        return VideoResponses.Accepted(job, jobs.RetryAfter);
    }

    [OpenApiOperation("getVideo", "Video", Summary = "A video job's status")]
    [OpenApiParameter("id", Description = "Job id.")]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.Json, typeof(VideoResponses.NativeVideoJob), Description = "The job; Retry-After while it runs.")]
    [OpenApiResponseHeader(HttpStatusCode.OK, "Retry-After", "Seconds until the next useful poll, while the job runs.")]
    [OpenApiErrors(HttpStatusCode.NotFound)]
    [Function("GetVideo")]
    public async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Video)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id,
        CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(request, cancellationToken);
        return VideoResponses.Native(await jobs.GetAsync(client, id, HttpPipeline.CallerId(request.HttpContext), cancel.Token), jobs.RetryAfter);
    }

    [OpenApiOperation("getVideoContent", "Video", Summary = "The finished video")]
    [OpenApiParameter("id", Description = "Job id.")]
    [OpenApiResponseWithoutBody(HttpStatusCode.Redirect, Description = "Redirect to the video file (a signed upstream URL, video/mp4).")]
    [OpenApiResponseHeader(HttpStatusCode.Redirect, "Location", "The video file's URL.")]
    [OpenApiErrors(HttpStatusCode.NotFound, HttpStatusCode.Conflict)]
    [Function("GetVideoContent")]
    public async Task<IResult> GetContentAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.VideoContent)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id,
        CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(request, cancellationToken);
        return Content(await jobs.GetAsync(client, id, HttpPipeline.CallerId(request.HttpContext), cancel.Token));
    }

    [OpenApiOperation("cancelVideo", "Video", Summary = "Cancel a video job")]
    [OpenApiParameter("id", Description = "Job id.")]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.Json, typeof(VideoResponses.NativeVideoJob), Description = "The job after cancellation.")]
    [OpenApiErrors(HttpStatusCode.NotFound, HttpStatusCode.Conflict)]
    [Function("CancelVideo")]
    public async Task<IResult> CancelAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Routes.Video)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id,
        CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(request, cancellationToken);
        return VideoResponses.Native(await jobs.CancelAsync(client, id, HttpPipeline.CallerId(request.HttpContext), cancel.Token), jobs.RetryAfter);
    }

    [OpenApiOperation("getTaskStatus", "Video", Summary = "A video job's status, in the seed's task shape")]
    [OpenApiParameter("id", Description = "Job id.")]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.Json, typeof(VideoResponses.SeedTaskStatus), Description = "The task.")]
    [OpenApiErrors(HttpStatusCode.NotFound)]
    [Function("GetTaskStatus")]
    public async Task<IResult> GetTaskStatusAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.TaskStatus)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id,
        CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(request, cancellationToken);
        return VideoResponses.TaskStatus(await jobs.GetAsync(client, id, HttpPipeline.CallerId(request.HttpContext), cancel.Token));
    }

    /// <summary>A redirect to the upstream CDN once the video exists (the signed URL is the only copy).</summary>
    internal static IResult Content(VideoJob job) => job is { Status: VideoJobStatus.Completed, VideoUrl: { } url }
        ? Results.Redirect(url)
        : throw new ApiException(HttpStatusCode.Conflict, "invalid_request_error", "video_not_ready",
            $"The video is not available: the job is {job.Status}.", "id");
}
