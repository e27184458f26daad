using System.Net;
using Microsoft.OpenApi;
using QwenFunctions.Docs;
using QwenFunctions.Http;
using static QwenFunctions.Docs.OpenApiCommon;
using static QwenFunctions.Docs.OpenApiSchemas;

namespace QwenFunctions.Conversations;

/// <summary>The seed's POST /chats: starts an upstream conversation to continue with POST /chat.</summary>
public sealed class ConversationsOpenApi : IOpenApiContributor
{
    public void Describe(OpenApiPaths paths, OpenApiComponents components)
    {
        var request = components.Define("CreateChatRequest", Object(new Dictionary<string, IOpenApiSchema>
        {
            ["name"] = String("Accepted for seed compatibility; upstream titles chats itself."),
            ["model"] = String("Model id or alias."),
        }));
        var response = components.Define("CreateChatResponse", Object(
            new Dictionary<string, IOpenApiSchema>
            {
                ["chatId"] = String("Pass as chatId to POST /chat."),
                ["success"] = Boolean(),
            },
            required: ["chatId", "success"]));

        paths.Add(HttpMethod.Post, Routes.Chats, Operation("createChat", "Chat", "Start a conversation", "Every field is optional; an empty body is fine.")
            .WithJsonBody(request, required: false)
            .Responds(HttpStatusCode.OK, "The new conversation.", Json, response)
            .WithProblems(HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable));
    }
}
