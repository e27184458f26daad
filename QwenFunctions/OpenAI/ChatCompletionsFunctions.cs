using Microsoft.AspNetCore.Http;
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
    public Task<IResult> ChatCompletionsV1(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.ChatCompletionsV1)] HttpRequest request,
        CancellationToken cancellationToken) => HandleAsync(request, cancellationToken);

    [Function("ChatCompletions")]
    public Task<IResult> ChatCompletions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.ChatCompletions)] HttpRequest request,
        CancellationToken cancellationToken) => HandleAsync(request, cancellationToken);

    private async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(request, cancellationToken);
        var body = await bodies.ReadJsonAsync<ChatCompletionRequest>(request, cancel.Token, OpenAiJson.Request);
        var read = ChatCompletionReader.Read(body);
        if (read.IgnoredParams.Count > 0)
        {
            request.HttpContext.Response.Headers[HeaderIgnoredParams] = string.Join(", ", read.IgnoredParams);
        }

        await responder.RespondAsync(request.HttpContext, read.Turn, new OpenAIChatFormat(read.IncludeUsage, proxy.CurrentValue.ReasoningOutput), cancel.Token);
        return Results.Empty;
    }
}
