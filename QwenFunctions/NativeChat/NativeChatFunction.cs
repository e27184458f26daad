using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using QwenFunctions.Chat;
using QwenFunctions.Configuration;
using QwenFunctions.Docs;
using QwenFunctions.Http;
using QwenFunctions.Images;
using QwenFunctions.Upstream;
using QwenFunctions.Video;

namespace QwenFunctions.NativeChat;

/// <summary>
/// Native POST /api/chat (seed-compatible). Answers carry chatId and parentId; sending them back continues the same
/// upstream conversation on the same account. chatType t2i draws images, t2v starts a video job (202, not blocking).
/// </summary>
public sealed class NativeChatFunction(
    ChatResponder responder,
    ImageApi images,
    VideoJobService videos,
    IOptionsMonitor<VideoOptions> videoOptions,
    IOptionsMonitor<ProxyOptions> proxy,
    RequestBodyReader bodies)
{
    [OpenApiOperation("chat", "Chat", Summary = "Chat (the seed's native route)",
        Description = "Continue a conversation by sending back the chatId and parentId of the previous answer; it then stays on the same account.")]
    [OpenApiRequestBody(OpenApiErrors.Json, typeof(NativeChatRequest))]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.Json, typeof(NativeChatOpenApi.NativeChatCompletion),
        Description = "The answer; with `stream: true`, Server-Sent Events whose last chunk carries usage, chatId and parentId.")]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.EventStream, typeof(NativeChatOpenApi.NativeChatChunk), Example = NativeChatOpenApi.StreamExample)]
    [OpenApiResponseWithBody(HttpStatusCode.Accepted, OpenApiErrors.Json, typeof(VideoResponses.NativeVideoJob),
        Description = "chatType t2v: the video job started; poll Location (GET /videos/{id}).")]
    [OpenApiResponseHeader(HttpStatusCode.Accepted, "Location", "The job's status URL.")]
    [OpenApiResponseHeader(HttpStatusCode.Accepted, "Retry-After", "Seconds until the first useful poll.")]
    [OpenApiErrors(HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout)]
    [OpenApiErrors(HttpStatusCode.NotFound, Description = ChatErrorCodes.ConversationNotFound)]
    [OpenApiErrors(HttpStatusCode.Conflict, Description = ChatErrorCodes.ConversationConflicts)]
    [Function("Chat")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.Chat)] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(request, cancellationToken);
        var body = await bodies.ReadJsonAsync<NativeChatRequest>(request, cancel.Token);
        var (turn, prompt) = body.ToTurn();

        switch (body.ChatType?.Trim().ToLowerInvariant())
        {
            case null or "" or "t2t":
                await responder.RespondAsync(request.HttpContext, turn, new NativeChatFormat(proxy.CurrentValue.ReasoningOutput), cancel.Token);
                return Results.Empty;
            case "t2i":
                var answer = await images.SeedChatAsync(prompt.Text, body.Model, body.Size, body.ChatId, body.ParentId, null, cancel.Token);
                return Results.Text(answer.ToJsonString(), "application/json");
            case "t2v":
                // The seed blocked until the video was done (minutes); here it is a durable job, answered at once.
                var size = AspectRatios.MapPixelSize(body.Size, videoOptions.CurrentValue.DefaultSize);
                var job = await videos.StartAsync(durable, prompt.Text, body.Model, size, HttpPipeline.CallerId(request.HttpContext), cancel.Token);
                return VideoResponses.Accepted(job, videos.RetryAfter);
            default:
                throw ApiException.BadRequest($"Unknown chatType '{body.ChatType}'; use t2t, t2i or t2v.", "chatType", "unsupported_chat_type");
        }
    }
}
