using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using QwenFunctions.Http;
using QwenFunctions.OpenAI;

using QwenFunctions.Models;

namespace QwenFunctions.Chat;

/// <summary>
/// Native POST /api/chat (seed-compatible). Answers carry chatId and parentId; sending them back continues the same
/// upstream conversation on the same account. Errors are ProblemDetails; stream errors are in-band error events.
/// </summary>
public sealed class ChatFunction(ChatCompletionStreamer streamer, ModelCatalog models, RequestBodyReader bodies)
{
    [Function("Chat")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "chat")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, request.HttpContext.RequestAborted);
        var body = await bodies.ReadJsonAsync<NativeChatRequest>(request, linked.Token);

        // Switch point for the other chat types: the lead wires t2i to the image service and t2v to the video service here.
        switch (body.ChatType?.Trim().ToLowerInvariant())
        {
            case null or "" or "t2t":
                break;
            case "t2i" or "t2v":
                throw ApiException.BadRequest($"chatType '{body.ChatType}' is not available on this route yet.", "chatType", "unsupported_chat_type");
            default:
                throw ApiException.BadRequest($"Unknown chatType '{body.ChatType}'; use t2t, t2i or t2v.", "chatType", "unsupported_chat_type");
        }

        var turn = body.ToTurn();
        var output = new ChatOutput(ChatOutputStyle.Native, string.IsNullOrWhiteSpace(body.Model) ? await models.GetDefaultModelAsync(linked.Token) : body.Model, IncludeUsage: false);
        if (body.Stream == true)
        {
            await streamer.StreamAsync(request.HttpContext, turn, output, linked.Token);
        }
        else
        {
            await streamer.CompleteAsync(request.HttpContext, turn, output, linked.Token);
        }

        return new EmptyResult();
    }
}
