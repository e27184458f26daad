using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using QwenFunctions.Chat;
using QwenFunctions.Configuration;
using QwenFunctions.Docs;
using QwenFunctions.Http;

namespace QwenFunctions.OpenAI;

/// <summary>POST /api/v1/chat/completions and its seed alias /api/chat/completions (both answer OpenAI errors).</summary>
[OpenApiJsonOptions(typeof(ApiJson), nameof(ApiJson.Options))]
public sealed class ChatCompletionsFunctions(ChatResponder responder, RequestBodyReader bodies, IOptionsMonitor<ProxyOptions> proxy)
{
    public const string HeaderIgnoredParams = "x-qwen-ignored-params";

    [OpenApiOperation("createChatCompletion", "OpenAI", Summary = "Chat completion (OpenAI-compatible)", Description = ChatCompletionsOpenApi.Description)]
    [OpenApiRequestBody(OpenApiErrors.Json, typeof(ChatCompletionRequest))]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.Json, typeof(ChatCompletionsOpenApi.ChatCompletion),
        Description = "`stream: false`: one chat.completion. `stream: true`: Server-Sent Events of chat.completion.chunk.")]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.EventStream, typeof(ChatCompletionsOpenApi.ChatCompletionChunk), Example = ChatCompletionsOpenApi.StreamExample)]
    [OpenApiResponseHeader(HttpStatusCode.OK, HeaderIgnoredParams, "Request parameters that were accepted but have no effect.")]
    [OpenApiErrors(HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout)]
    [OpenApiErrors(HttpStatusCode.NotFound, Description = ChatErrorCodes.ConversationNotFound)]
    [OpenApiErrors(HttpStatusCode.Conflict, Description = ChatErrorCodes.ConversationConflicts)]
    [Function("ChatCompletionsV1")]
    public Task<IResult> ChatCompletionsV1(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.ChatCompletionsV1)] HttpRequest request,
        CancellationToken cancellationToken) => HandleAsync(request, cancellationToken);

    [OpenApiOperation("createChatCompletionUnversioned", "OpenAI", Summary = "Chat completion, without /v1 (the seed's alias)", SameAs = nameof(ChatCompletionsV1))]
    [Function("ChatCompletions")]
    public Task<IResult> ChatCompletions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.ChatCompletions)] HttpRequest request,
        CancellationToken cancellationToken) => HandleAsync(request, cancellationToken);

    private async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(request, cancellationToken);
        var body = await bodies.ReadJsonAsync<ChatCompletionRequest>(request, cancel.Token, ApiJson.Options);
        var read = ChatCompletionReader.Read(body);
        if (read.IgnoredParams.Count > 0)
        {
            request.HttpContext.Response.Headers[HeaderIgnoredParams] = string.Join(", ", read.IgnoredParams);
        }

        await responder.RespondAsync(request.HttpContext, read.Turn, new OpenAIChatFormat(read.IncludeUsage, proxy.CurrentValue.ReasoningOutput), cancel.Token);
        return Results.Empty;
    }
}
