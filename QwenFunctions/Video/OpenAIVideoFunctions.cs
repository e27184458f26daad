using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using QwenFunctions.Http;
using QwenFunctions.Upstream;

namespace QwenFunctions.Video;

/// <summary>OpenAI Videos API routes (/api/v1/videos): `object: "video"`, WIDTHxHEIGHT sizes, OpenAI error envelope.</summary>
public sealed class OpenAIVideoFunctions(VideoJobService jobs, IOptionsMonitor<VideoOptions> videoOptions, RequestBodyReader bodyReader)
{
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
