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

/// <summary>OpenAI Videos API routes (/api/v1/videos): `object: "video"`, WIDTHxHEIGHT sizes, OpenAI error envelope.</summary>
public sealed class OpenAIVideoFunctions(VideoJobService jobs, IOptionsMonitor<VideoOptions> videoOptions, RequestBodyReader bodyReader)
{
    [OpenApiOperation("createVideoOpenAI", "OpenAI", Summary = "Create a video (OpenAI Videos API)")]
    [OpenApiParameter("Idempotency-Key", In = ParameterLocation.Header, Description = "Retrying with the same key returns the same job instead of starting another.")]
    [OpenApiRequestBody(OpenApiErrors.Json, typeof(VideoOpenApi.VideoCreateBody))]
    [OpenApiRequestBody(OpenApiErrors.Multipart, typeof(VideoOpenApi.VideoCreateBody))]
    [OpenApiResponseWithBody(HttpStatusCode.Accepted, OpenApiErrors.Json, typeof(VideoResponses.OpenAIVideo), Description = "The job started; poll Location until status is completed or failed.")]
    [OpenApiResponseHeader(HttpStatusCode.Accepted, "Location", "The job's status URL.")]
    [OpenApiResponseHeader(HttpStatusCode.Accepted, "Retry-After", "Seconds until the first useful poll.")]
    [OpenApiErrors(HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.TooManyRequests, HttpStatusCode.ServiceUnavailable)]
    [Function("OpenAICreateVideo")]
    public async Task<IResult> CreateAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.VideosV1)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(request, cancellationToken);
        var body = await VideoCreateRequest.ReadAsync(request, bodyReader, cancel.Token);
        var ratio = AspectRatios.MapPixelSize(body.Size, videoOptions.CurrentValue.DefaultSize);
        var job = await jobs.StartAsync(client, body.Prompt, UpstreamModel(body.Model), ratio, body.Size, body.IdempotencyKey, HttpPipeline.CallerId(request.HttpContext), cancel.Token);
        return VideoResponses.OpenAIAccepted(job, jobs.RetryAfter);
    }

    [OpenApiOperation("getVideoOpenAI", "OpenAI", Summary = "Retrieve a video")]
    [OpenApiParameter("id", Description = "Video id.")]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.Json, typeof(VideoResponses.OpenAIVideo), Description = "The video object.")]
    [OpenApiErrors(HttpStatusCode.NotFound)]
    [Function("OpenAIGetVideo")]
    public async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.VideoV1)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id,
        CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(request, cancellationToken);
        return VideoResponses.OpenAI(await jobs.GetAsync(client, id, HttpPipeline.CallerId(request.HttpContext), cancel.Token));
    }

    [OpenApiOperation("getVideoContentOpenAI", "OpenAI", Summary = "Download the video")]
    [OpenApiParameter("id", Description = "Video id.")]
    [OpenApiResponseWithoutBody(HttpStatusCode.Redirect, Description = "Redirect to the video file (a signed upstream URL, video/mp4).")]
    [OpenApiResponseHeader(HttpStatusCode.Redirect, "Location", "The video file's URL.")]
    [OpenApiErrors(HttpStatusCode.NotFound, HttpStatusCode.Conflict)]
    [Function("OpenAIGetVideoContent")]
    public async Task<IResult> GetContentAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.VideoContentV1)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id,
        CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(request, cancellationToken);
        return VideoFunctions.Content(await jobs.GetAsync(client, id, HttpPipeline.CallerId(request.HttpContext), cancel.Token));
    }

    [OpenApiOperation("deleteVideoOpenAI", "OpenAI", Summary = "Delete a video")]
    [OpenApiParameter("id", Description = "Video id.")]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.Json, typeof(VideoResponses.OpenAIVideoDeleted), Description = "Deleted.")]
    [OpenApiErrors(HttpStatusCode.NotFound)]
    [Function("OpenAIDeleteVideo")]
    public async Task<IResult> DeleteAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Routes.VideoV1)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id,
        CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(request, cancellationToken);
        await jobs.DeleteAsync(client, id, HttpPipeline.CallerId(request.HttpContext), cancel.Token);
        return VideoResponses.OpenAIDeleted(id);
    }

    /// <summary>OpenAI clients name OpenAI's video models; those mean "the configured default" here.</summary>
    private static string? UpstreamModel(string? model) =>
        model is null || model.StartsWith("sora", StringComparison.OrdinalIgnoreCase) ? null : model;
}
