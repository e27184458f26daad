using System.Text.Json;
using QwenFunctions.Http;
using QwenFunctions.OpenAI;

namespace QwenFunctions.Chat;

/// <summary>The seed's POST /api/chat body (camelCase field names kept for compatibility).</summary>
public sealed class NativeChatRequest
{
    /// <summary>A string, or parts <c>{type:"text",text}</c> / <c>{type:"image",image}</c>.</summary>
    public JsonElement? Message { get; set; }

    /// <summary>OpenAI-style messages, used when <see cref="Message"/> is absent.</summary>
    public List<ChatCompletionMessage>? Messages { get; set; }

    public string? Model { get; set; }

    public string? ChatId { get; set; }

    public string? ParentId { get; set; }

    public bool? Stream { get; set; }

    /// <summary>t2t (default), t2i, t2v.</summary>
    public string? ChatType { get; set; }

    /// <summary>t2i/t2v aspect ratio, passed through.</summary>
    public string? Size { get; set; }

    /// <summary>t2v only.</summary>
    public bool? WaitForCompletion { get; set; }

    /// <summary>The text turn of a t2t request.</summary>
    public ChatTurn ToTurn()
    {
        if (Message is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined })
        {
            var (text, images, files) = ContentParts.Parse(Message, "message");
            return Validate(new ChatTurn { Prompt = text, ImageUrls = images, FileRefs = files, ChatId = Blank(ChatId), ParentId = Blank(ParentId), RequestedModel = Model });
        }

        if (Messages is not { Count: > 0 })
        {
            throw ApiException.BadRequest("Message not specified: send 'message' (string or parts) or 'messages'.", "message");
        }

        var mapped = ChatCompletionMapper.Map(new ChatCompletionRequest { Messages = Messages, ChatId = Blank(ChatId), ParentId = Blank(ParentId), Model = Model }, null);
        return Validate(mapped.Turn);
    }

    private static ChatTurn Validate(ChatTurn turn) =>
        turn.Prompt.Length == 0 && turn.ImageUrls.Count == 0 && turn.FileRefs.Count == 0
            ? throw ApiException.BadRequest("Message not specified: the message is empty.", "message")
            : turn;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
