using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using QwenFunctions.Http;

namespace QwenFunctions.Conversations;

/// <summary>The seed's <c>POST /api/chats</c>: starts a conversation whose later turns pass its chatId.</summary>
public sealed class ConversationsFunctions(ConversationService conversations)
{
    [Function("ChatsCreate")]
    public async Task<IResult> CreateAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "chats")] HttpRequest req, CancellationToken cancellationToken)
    {
        var body = await ReadAsync(req, cancellationToken);
        var chatId = await conversations.CreateAsync(body?.Model, cancellationToken);
        return Results.Json(new CreateChatResponse(chatId), JsonSerializerOptions.Web);
    }

    private static async Task<CreateChatRequest?> ReadAsync(HttpRequest req, CancellationToken cancellationToken)
    {
        if (req.ContentLength is 0)
        {
            return null;
        }

        try
        {
            using var reader = new StreamReader(req.Body);
            var text = await reader.ReadToEndAsync(cancellationToken);
            return string.IsNullOrWhiteSpace(text) ? null : JsonSerializer.Deserialize<CreateChatRequest>(text, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            throw ApiException.BadRequest("The body must be a JSON object like {\"name\": \"…\", \"model\": \"…\"}.");
        }
    }
}

/// <param name="Name">Accepted for seed compatibility; the upstream titles chats itself.</param>
public sealed record CreateChatRequest(string? Name, string? Model);

public sealed record CreateChatResponse(string ChatId)
{
    public bool Success => true;
}
