using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using QwenFunctions.Chat;
using QwenFunctions.Configuration;
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
