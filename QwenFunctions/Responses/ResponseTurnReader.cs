using QwenFunctions.Chat;

namespace QwenFunctions.Responses;

/// <summary>
/// A Responses request as the chat pipeline's turn: the instructions as the system message, then the input. With a
/// previous response, the turn continues that response's upstream chat, so only the new input goes upstream.
/// </summary>
public static class ResponseTurnReader
{
    public static ChatTurn ToTurn(ParsedResponsesRequest request, ResponseConversation? previous) => new()
    {
        RequestedModel = request.Body.Model,
        Messages = request.Instructions is { Length: > 0 } instructions
            ? [new ChatMessage(ChatMessage.System, instructions, [], []), .. request.Messages]
            : request.Messages,
        ChatId = previous?.ChatId,
        ParentId = previous?.ParentId,
        Thinking = request.Thinking,
        Stream = request.Stream,
        Tools = request.Tools,
    };
}
