using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using QwenFunctions.Docs;
using QwenFunctions.Http;

namespace QwenFunctions.Images;

/// <summary>Native /api/images and OpenAI /api/v1/images/generations.</summary>
public sealed class ImageFunctions(ImageApi api, ImageStreamer streamer)
{
    [OpenApiOperation("generateImage", "Images", Summary = "Generate an image (native)")]
    [OpenApiRequestBody(OpenApiErrors.Json, typeof(ImagesOpenApi.NativeImageRequest))]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.Json, typeof(NativeImageResult), Description = "The image URLs; with `stream: true`, heartbeats then one data event and [DONE].")]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.EventStream, typeof(NativeImageResult), Example = ImagesOpenApi.StreamExample)]
    [OpenApiErrors(HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout)]
    [Function("Images")]
    public async Task<IResult> GenerateNativeAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.Images)] HttpRequest req, CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(req, cancellationToken);
        var (request, stream) = await api.ReadNativeAsync(req, cancel.Token);
        if (!stream)
        {
            var result = await api.Images.GenerateAsync(request, null, cancel.Token);
            return Json(api.ToNativeAnswer(result));
        }

        await streamer.StreamAsync(req.HttpContext, request, cancel.Token);
        return Results.Empty;
    }

    [OpenApiOperation("createImage", "OpenAI", Summary = "Generate images (OpenAI-compatible)")]
    [OpenApiRequestBody(OpenApiErrors.Json, typeof(ImagesOpenApi.OpenAIImageRequest))]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.Json, typeof(ImagesResponse), Description = "The images.")]
    [OpenApiErrors(HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout)]
    [Function("OpenAIImageGenerations")]
    public Task<IResult> GenerateOpenAIAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.ImageGenerationsV1)] HttpRequest req, CancellationToken cancellationToken) =>
        GenerateOpenAICoreAsync(req, cancellationToken);

    /// <summary>The seed strips /v1, so SDKs pointed at …/api also work.</summary>
    [OpenApiOperation("createImageUnversioned", "OpenAI", SameAs = nameof(GenerateOpenAIAsync))]
    [Function("OpenAIImageGenerationsAlias")]
    public Task<IResult> GenerateOpenAIAliasAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.ImageGenerations)] HttpRequest req, CancellationToken cancellationToken) =>
        GenerateOpenAICoreAsync(req, cancellationToken);

    private async Task<IResult> GenerateOpenAICoreAsync(HttpRequest req, CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(req, cancellationToken);
        var (request, format) = await api.ReadOpenAIAsync(req, cancel.Token);
        var result = await api.Images.GenerateAsync(request, null, cancel.Token);
        return Json(await api.ToOpenAIAnswerAsync(result, request.N, format, cancel.Token));
    }

    private static IResult Json(string json) => Results.Text(json, "application/json");
}
