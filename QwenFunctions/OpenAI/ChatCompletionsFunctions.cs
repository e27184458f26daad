using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using QwenFunctions.Chat;
using QwenFunctions.Configuration;
using QwenFunctions.Http;

namespace QwenFunctions.OpenAI;

/// <summary>POST /api/v1/chat/completions and its seed alias /api/chat/completions (both answer OpenAI errors).</summary>
public sealed class ChatCompletionsFunctions(ChatResponder responder, RequestBodyReader bodies, IOptionsMonitor<ProxyOptions> proxy)
{
    public const string HeaderIgnoredParams = "x-qwen-ignored-params";

    [Function("ChatCompletionsV1")]
    public Task<IActionResult> ChatCompletionsV1(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.ChatCompletionsV1)] HttpRequest request,
        CancellationToken cancellationToken) => HandleAsync(request, cancellationToken);

    [Function("ChatCompletions")]
    public Task<IActionResult> ChatCompletions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.ChatCompletions)] HttpRequest request,
        CancellationToken cancellationToken) => HandleAsync(request, cancellationToken);

    private async Task<IActionResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // A client disconnect shows up on RequestAborted; the invocation token covers host shutdown.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, request.HttpContext.RequestAborted);
        var body = await bodies.ReadJsonAsync<ChatCompletionRequest>(request, linked.Token, OpenAiJson.Request);
        var read = ChatCompletionReader.Read(body);
        if (read.IgnoredParams.Count > 0)
        {
            request.HttpContext.Response.Headers[HeaderIgnoredParams] = string.Join(", ", read.IgnoredParams);
        }

        await responder.RespondAsync(request.HttpContext, read.Turn, new OpenAIChatFormat(read.IncludeUsage, proxy.CurrentValue.ReasoningOutput), linked.Token);
        return new EmptyResult();
    }
}
