using System.Text.Json;
using System.Text.Json.Nodes;
using QwenFunctions.Chat;
using QwenFunctions.Chat.Tools;
using QwenFunctions.Http;

namespace QwenFunctions.OpenAI;

/// <summary>A validated chat-completions request: the pipeline's turn and what only this surface cares about.</summary>
public sealed record ChatCompletionTurn(ChatTurn Turn, bool IncludeUsage, IReadOnlyList<string> IgnoredParams);

/// <summary>OpenAI request → chat turn. Liberal in what it accepts; rejects only what would silently change the meaning.</summary>
public static class ChatCompletionReader
{
    public static ChatCompletionTurn Read(ChatCompletionRequest request)
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

        var chatId = request.ChatId is { Length: > 0 } id ? id : null;
        var turn = new ChatTurn
        {
            Messages = ToMessages(messages),
            ChatId = chatId,
            ParentId = chatId is null ? null : request.ParentId,
            RequestedModel = request.Model,
            Thinking = ThinkingSwitch(request),
            Stream = request.Stream ?? false,
            Tools = ToolOptions(request),
        };
        return new ChatCompletionTurn(turn, request.StreamOptions?.IncludeUsage ?? false, ignored);
    }

    /// <summary>OpenAI messages in the pipeline's shape (the native route takes the same <c>messages</c>).</summary>
    public static IReadOnlyList<ChatMessage> ToMessages(IReadOnlyList<ChatCompletionMessage> messages) =>
        messages.Select(ToChatMessage).ToList();

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

    /// <summary>The function tools offered, read leniently: an entry without a name is not a tool anyone can call.</summary>
    private static ToolSet ToolOptions(ChatCompletionRequest request)
    {
        if (request.Tools is not { ValueKind: JsonValueKind.Array } tools || tools.GetArrayLength() == 0)
        {
            return ToolSet.Empty;
        }

        var definitions = new List<ToolDefinition>();
        foreach (var tool in tools.EnumerateArray())
        {
            if (tool.ValueKind == JsonValueKind.Object && tool.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object
                && Str(function, "name") is { Length: > 0 } name)
            {
                definitions.Add(ToolDefinition.Function(name, Str(function, "description"),
                    function.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object ? JsonObject.Create(parameters) : null));
            }
        }

        var choice = request.ToolChoice switch
        {
            { ValueKind: JsonValueKind.String } s => s.GetString() switch
            {
                "none" => ToolChoice.None,
                "required" => ToolChoice.Required,
                _ => ToolChoice.Auto,
            },
            { ValueKind: JsonValueKind.Object } o when o.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object && Str(f, "name") is { } forced =>
                ToolChoice.Named(forced),
            _ => ToolChoice.Auto,
        };
        return new ToolSet(definitions, choice, request.ParallelToolCalls ?? true);
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
        return new ChatMessage(role, text, images, files)
        {
            ToolCalls = ToolCalls(message.ToolCalls),
            ToolCallId = message.ToolCallId,
            ToolName = role == ChatMessage.Tool ? message.Name : null,
        };
    }

    private static IReadOnlyList<ToolCall> ToolCalls(JsonElement? calls)
    {
        if (calls is not { ValueKind: JsonValueKind.Array } list)
        {
            return [];
        }

        var result = new List<ToolCall>();
        foreach (var call in list.EnumerateArray())
        {
            if (call.ValueKind == JsonValueKind.Object && call.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object)
            {
                result.Add(new ToolCall(Str(call, "id") ?? "", Str(function, "name") ?? "", Str(function, "arguments") ?? ""));
            }
        }

        return result;
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
