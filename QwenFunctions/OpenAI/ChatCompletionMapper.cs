using System.Text.Json;
using QwenFunctions.Chat;
using QwenFunctions.Http;

namespace QwenFunctions.OpenAI;

/// <summary>A validated chat-completions request, ready for the chat service.</summary>
public sealed record MappedChatRequest(ChatTurn Turn, string ModelName, bool Stream, bool IncludeUsage, IReadOnlyList<string> IgnoredParams);

/// <summary>OpenAI request → chat turn. Liberal in what it accepts; rejects only what would silently change the meaning.</summary>
public static class ChatCompletionMapper
{
    public static MappedChatRequest Map(ChatCompletionRequest request, string? fallbackModelName)
    {
        if (request.Messages is not { Count: > 0 } messages)
        {
            throw ApiException.BadRequest("'messages' is required and must not be empty.", "messages");
        }

        if (request.N is { } n && n != 1)
        {
            throw ApiException.BadRequest("Only n=1 is supported: the upstream produces one answer per request.", "n");
        }

        if (request.Temperature is < 0 or > 2)
        {
            throw ApiException.BadRequest($"{request.Temperature} is not a valid temperature; it must be between 0 and 2.", "temperature");
        }

        var ignored = new List<string>();
        CheckTools(request.Tools, request.ToolChoice, "tools", ignored);
        CheckTools(request.Functions, request.FunctionCall, "functions", ignored);
        if (request.ResponseFormat is { ValueKind: JsonValueKind.Object } format && Str(format, "type") is { } formatType && formatType != "text")
        {
            ignored.Add("response_format");
        }

        if (request.MaxTokens is not null) ignored.Add("max_tokens");
        if (request.MaxCompletionTokens is not null) ignored.Add("max_completion_tokens");
        if (request.Stop is { ValueKind: not JsonValueKind.Null }) ignored.Add("stop");

        var chatMessages = messages.Select((m, i) => ToChatMessage(m, i)).ToList();
        ChatTurn turn;
        if (request.ChatId is { Length: > 0 })
        {
            // The upstream chat already holds the history: only the newest user message is new.
            var last = chatMessages.LastOrDefault(m => m.Role == ChatMessage.User)
                ?? throw ApiException.BadRequest("No user message in 'messages'.", "messages");
            turn = new ChatTurn { Prompt = last.Text, ImageUrls = last.ImageUrls, FileRefs = last.FileRefs, ChatId = request.ChatId, ParentId = request.ParentId };
        }
        else
        {
            var folded = ConversationFolder.Fold(chatMessages);
            turn = new ChatTurn { Prompt = folded.Prompt, ImageUrls = folded.ImageUrls, FileRefs = folded.FileRefs };
        }

        turn = turn with { RequestedModel = request.Model, Thinking = ThinkingSwitch(request) };
        return new MappedChatRequest(turn, request.Model is { Length: > 0 } m2 ? m2 : fallbackModelName ?? "", request.Stream ?? false,
            request.StreamOptions?.IncludeUsage ?? false, ignored);
    }

    private static bool? ThinkingSwitch(ChatCompletionRequest request) =>
        request.EnableThinking ?? request.ReasoningEffort?.Trim().ToLowerInvariant() switch
        {
            null or "" => null,
            "none" or "minimal" => false,
            _ => true,
        };

    private static void CheckTools(JsonElement? tools, JsonElement? choice, string param, List<string> ignored)
    {
        if (tools is not { ValueKind: JsonValueKind.Array } list || list.GetArrayLength() == 0)
        {
            return;
        }

        // Forcing a call cannot be honoured without tool calling; answering in prose would break the client's contract.
        var forced = choice switch
        {
            { ValueKind: JsonValueKind.String } s => s.GetString() is "required" or "any",
            { ValueKind: JsonValueKind.Object } => true,
            _ => false,
        };
        if (forced)
        {
            throw ApiException.BadRequest($"Tool calling is not supported yet: '{param}' with a required or named tool choice cannot be honoured.", param);
        }

        ignored.Add(param);
    }

    private static ChatMessage ToChatMessage(ChatCompletionMessage message, int index)
    {
        var role = message.Role?.Trim().ToLowerInvariant() switch
        {
            "system" or "developer" => ChatMessage.System,
            "user" => ChatMessage.User,
            "assistant" => ChatMessage.Assistant,
            "tool" or "function" => ChatMessage.Tool,
            var other => throw ApiException.BadRequest($"Unknown message role '{other}'.", $"messages[{index}].role"),
        };
        var (text, images, files) = ContentParts.Parse(message.Content, $"messages[{index}].content");
        return new ChatMessage(role, text, images, files);
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
