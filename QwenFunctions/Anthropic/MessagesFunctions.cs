using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.OpenApi;
using QwenFunctions.Chat;
using QwenFunctions.Docs;
using QwenFunctions.Http;

namespace QwenFunctions.Anthropic;

/// <summary>
/// The Anthropic Messages API: <c>POST /api/v1/messages</c> (SDKs append <c>/v1/messages</c> to a base URL of
/// <c>…/api</c>; Claude Code's <c>?beta=true</c> is ignored) and <c>POST /api/v1/messages/count_tokens</c>. Errors
/// are Anthropic's error object (<see cref="RouteFamily.IsAnthropic(PathString)"/>).
/// </summary>
[OpenApiJsonOptions(typeof(ApiJson), nameof(ApiJson.Options))]
public sealed class MessagesFunctions(ChatResponder responder, RequestBodyReader bodies, MessagesRequestReader reader, ThinkingSignature signatures)
{
    [OpenApiOperation("createMessage", "Anthropic", Summary = "Create a message (Anthropic Messages API)", Description = MessagesOpenApi.Description)]
    [OpenApiParameter("anthropic-version", In = ParameterLocation.Header, Description = "Accepted and ignored.")]
    [OpenApiParameter("anthropic-beta", In = ParameterLocation.Header, Description = "Accepted and ignored.")]
    [OpenApiRequestBody(OpenApiErrors.Json, typeof(MessagesRequest))]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.Json, typeof(MessagesOpenApi.AnthropicMessage), Description = "`stream: false`: one message. `stream: true`: Server-Sent Events with `event:` names.")]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.EventStream, typeof(JsonObject), Description = MessagesOpenApi.Stream, Example = MessagesOpenApi.StreamExample)]
    [OpenApiResponseHeader(HttpStatusCode.OK, "request-id", "The request id (also x-request-id).")]
    [OpenApiErrors(HttpStatusCode.BadRequest, HttpStatusCode.NotFound, HttpStatusCode.Conflict, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway, HttpStatusCode.GatewayTimeout)]
    [OpenApiErrors((HttpStatusCode)AnthropicErrorBody.OverloadedStatus, Description = MessagesOpenApi.Overloaded)]
    [Function("AnthropicMessages")]
    public async Task<IResult> CreateAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.Messages)] HttpRequest request,
        CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(request, cancellationToken);
        var call = reader.Read(await bodies.ReadJsonAsync<MessagesRequest>(request, cancel.Token, ApiJson.Options));
        var (turn, inputEstimate) = Turn(call);
        var answer = new MessageAssembler(signatures, call.StopSequences, call.MaxTokens);
        var events = new MessageEvents(new MessageJson(AnthropicIds.Message(), call.Model), answer, inputEstimate);
        await responder.RespondAsync(request.HttpContext, turn, new AnthropicMessageFormat(events), cancel.Token);
        return Results.Empty;
    }

    [OpenApiOperation("countMessageTokens", "Anthropic", Summary = "Count a message's input tokens (an estimate)", Description = MessagesOpenApi.CountTokens)]
    [OpenApiParameter("anthropic-version", In = ParameterLocation.Header, Description = "Accepted and ignored.")]
    [OpenApiRequestBody(OpenApiErrors.Json, typeof(MessagesRequest))]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.Json, typeof(TokenCount), Description = "The estimate.")]
    [OpenApiErrors(HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.TooManyRequests)]
    [Function("AnthropicCountTokens")]
    public async Task<IResult> CountTokensAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.MessagesCountTokens)] HttpRequest request,
        CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(request, cancellationToken);
        var call = reader.Read(await bodies.ReadJsonAsync<MessagesRequest>(request, cancel.Token, ApiJson.Options), countOnly: true);
        return Results.Json(new TokenCount(Turn(call).InputEstimate));
    }

    /// <summary>The pipeline's turn; validating it (tools, the history's shape) here answers 400 before anything goes upstream.</summary>
    private static (ChatTurn Turn, int InputEstimate) Turn(MessagesCall call)
    {
        var messages = MessagesConversation.Messages(call);
        var tools = MessagesConversation.Tools(call);
        if (tools.Problem() is { } problem)
        {
            throw ApiException.BadRequest("tools: " + problem, "tools");
        }

        var estimate = MessagesConversation.EstimateInputTokens(messages, tools);
        return (new ChatTurn { RequestedModel = call.Model, Messages = messages, Thinking = call.Thinking, Stream = call.Stream, Tools = tools }, estimate);
    }

    private sealed record TokenCount([property: System.Text.Json.Serialization.JsonPropertyName("input_tokens")] int InputTokens);
}
