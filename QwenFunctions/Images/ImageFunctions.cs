using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using QwenFunctions.Http;

namespace QwenFunctions.Images;

/// <summary>Native /api/images and OpenAI /api/v1/images/generations.</summary>
public sealed class ImageFunctions(ImageApi api, ILogger<ImageFunctions> logger)
{
    [Function("Images")]
    public async Task<IActionResult> GenerateNativeAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "images")] HttpRequest req, CancellationToken cancellationToken)
    {
        var (request, stream) = await api.ReadNativeAsync(req, cancellationToken);
        if (!stream)
        {
            var result = await api.Images.GenerateAsync(request, null, cancellationToken);
            return Json(api.ToNativeAnswer(result).ToJsonString());
        }

        // t2i takes 10–60 s per image: comments keep proxies and load balancers from cutting the idle connection.
        var response = req.HttpContext.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        req.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await WriteAsync(response, ": keep-alive\n\n", cancellationToken);
        try
        {
            var result = await api.Images.GenerateAsync(request, ct => new ValueTask(WriteAsync(response, ": keep-alive\n\n", ct)), cancellationToken);
            await WriteAsync(response, $"data: {api.ToNativeAnswer(result).ToJsonString()}\n\ndata: [DONE]\n\n", cancellationToken);
        }
        catch (OperationCanceledException) when (req.HttpContext.RequestAborted.IsCancellationRequested || cancellationToken.IsCancellationRequested)
        {
            Log.ClientGone(logger);
        }
        catch (ApiException ex)
        {
            var error = new System.Text.Json.Nodes.JsonObject
            {
                ["error"] = new System.Text.Json.Nodes.JsonObject { ["message"] = ex.Message, ["type"] = ex.Type, ["param"] = ex.Param, ["code"] = ex.Code },
            };
            await WriteAsync(response, $"data: {error.ToJsonString()}\n\n", CancellationToken.None);
        }

        return new EmptyResult();
    }

    [Function("OpenAIImageGenerations")]
    public Task<IActionResult> GenerateOpenAIAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/images/generations")] HttpRequest req, CancellationToken cancellationToken) =>
        GenerateOpenAICoreAsync(req, cancellationToken);

    /// <summary>The seed strips /v1, so SDKs pointed at …/api also work.</summary>
    [Function("OpenAIImageGenerationsAlias")]
    public Task<IActionResult> GenerateOpenAIAliasAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "images/generations")] HttpRequest req, CancellationToken cancellationToken) =>
        GenerateOpenAICoreAsync(req, cancellationToken);

    private async Task<IActionResult> GenerateOpenAICoreAsync(HttpRequest req, CancellationToken cancellationToken)
    {
        var (request, format) = await api.ReadOpenAIAsync(req, cancellationToken);
        var result = await api.Images.GenerateAsync(request, null, cancellationToken);
        return Json((await api.ToOpenAIAnswerAsync(result, request.N, format, cancellationToken)).ToJsonString());
    }

    private static ContentResult Json(string json) => new() { Content = json, ContentType = "application/json", StatusCode = 200 };

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
