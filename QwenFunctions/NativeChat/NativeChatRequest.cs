using System.Text.Json;
using System.Text.Json.Serialization;
using QwenFunctions.Chat;
using QwenFunctions.Http;
using QwenFunctions.OpenAI;

namespace QwenFunctions.NativeChat;

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

    /// <summary>OpenAI chat tools (<c>[{type:"function", function:{name, description, parameters}}]</c>), answered as <c>tool_calls</c>.</summary>
    public JsonElement? Tools { get; set; }

    /// <summary>auto (default), none, required or <c>{type:"function", function:{name}}</c>.</summary>
    [JsonPropertyName("tool_choice")]
    public JsonElement? ToolChoice { get; set; }

    /// <summary>false: at most one call per answer.</summary>
    [JsonPropertyName("parallel_tool_calls")]
    public bool? ParallelToolCalls { get; set; }

    /// <summary>The turn, and its upstream message (t2i and t2v use only its text). Throws the 400s of an empty or malformed message.</summary>
    public (ChatTurn Turn, ChatPrompt Prompt) ToTurn()
    {
        ChatTurn turn;
        if (Message is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined })
        {
            var (text, images, files) = ContentParts.Parse(Message, "message");
            turn = new ChatTurn { Messages = [new ChatMessage(ChatMessage.User, text, images, files)], ChatId = Blank(ChatId), ParentId = Blank(ParentId), HistoryParam = "message" };
        }
        else if (Messages is { Count: > 0 })
        {
            var chatId = Blank(ChatId);
            turn = new ChatTurn { Messages = ChatCompletionReader.ToMessages(Messages), ChatId = chatId, ParentId = chatId is null ? null : Blank(ParentId) };
        }
        else
        {
            throw ApiException.BadRequest("Message not specified: send 'message' (string or parts) or 'messages'.", "message");
        }

        turn = turn with { RequestedModel = Model, Stream = Stream == true, Tools = ChatToolsReader.Read(Tools, ToolChoice, ParallelToolCalls) };
        var prompt = ChatPrompt.For(turn);
        return prompt.Text.Length == 0 && prompt.ImageUrls.Count == 0 && prompt.FileRefs.Count == 0
            ? throw ApiException.BadRequest("Message not specified: the message is empty.", "message")
            : (turn, prompt);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
