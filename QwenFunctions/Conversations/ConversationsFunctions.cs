using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using QwenFunctions.Docs;
using QwenFunctions.Http;

namespace QwenFunctions.Conversations;

/// <summary>The seed's <c>POST /api/chats</c>: starts a conversation whose later turns pass its chatId.</summary>
public sealed class ConversationsFunctions(ConversationService conversations, RequestBodyReader bodies)
{
    [OpenApiOperation("createChat", "Chat", Summary = "Start a conversation", Description = "Every field is optional; an empty body is fine.")]
    [OpenApiRequestBody(OpenApiErrors.Json, typeof(CreateChatRequest), Required = false)]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.Json, typeof(CreateChatResponse), Description = "The new conversation.")]
    [OpenApiErrors(HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable)]
    [Function("ChatsCreate")]
    public async Task<IResult> CreateAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.Chats)] HttpRequest req, CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(req, cancellationToken);
        // The seed accepts an empty body: every field is optional.
        var body = req.ContentLength is 0 ? null : await bodies.ReadJsonAsync<CreateChatRequest>(req, cancel.Token);
        var chatId = await conversations.CreateAsync(body?.Model, cancel.Token);
        return Results.Json(new CreateChatResponse(chatId), JsonSerializerOptions.Web);
    }
}

/// <param name="Name">Accepted for seed compatibility; the upstream titles chats itself.</param>
public sealed record CreateChatRequest(string? Name, string? Model);

public sealed record CreateChatResponse(string ChatId)
{
    public bool Success => true;
}
