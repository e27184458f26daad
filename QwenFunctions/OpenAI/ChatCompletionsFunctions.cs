using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using QwenFunctions.Chat;
using QwenFunctions.Http;

using QwenFunctions.Models;

namespace QwenFunctions.OpenAI;

/// <summary>POST /api/v1/chat/completions and its seed alias /api/chat/completions (both answer OpenAI errors).</summary>
public sealed class ChatCompletionsFunctions(ChatCompletionStreamer streamer, ModelCatalog models, RequestBodyReader bodies)
{
    public const string HeaderIgnoredParams = "x-qwen-ignored-params";

    [Function("ChatCompletionsV1")]
    public Task<IActionResult> ChatCompletionsV1(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/chat/completions")] HttpRequest request,
        CancellationToken cancellationToken) => HandleAsync(request, cancellationToken);

    [Function("ChatCompletions")]
    public Task<IActionResult> ChatCompletions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "chat/completions")] HttpRequest request,
        CancellationToken cancellationToken) => HandleAsync(request, cancellationToken);

    private async Task<IActionResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // A client disconnect shows up on RequestAborted; the invocation token covers host shutdown.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, request.HttpContext.RequestAborted);
        var body = await bodies.ReadJsonAsync<ChatCompletionRequest>(request, linked.Token, OpenAiJson.Request);
        // Validate first: a refused request must not cost an upstream call, not even the model list.
        var mapped = ChatCompletionMapper.Map(body, null);
        if (mapped.ModelName.Length == 0)
        {
            mapped = mapped with { ModelName = await models.GetDefaultModelAsync(linked.Token) };
        }
        if (mapped.IgnoredParams.Count > 0)
        {
            request.HttpContext.Response.Headers[HeaderIgnoredParams] = string.Join(", ", mapped.IgnoredParams);
        }

        var output = new ChatOutput(ChatOutputStyle.OpenAI, mapped.ModelName, mapped.IncludeUsage);
        if (mapped.Stream)
        {
            await streamer.StreamAsync(request.HttpContext, mapped.Turn, output, linked.Token);
        }
        else
        {
            await streamer.CompleteAsync(request.HttpContext, mapped.Turn, output, linked.Token);
        }

        return new EmptyResult();
    }
}
