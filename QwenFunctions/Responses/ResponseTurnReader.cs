using System.Text.Json;
using QwenFunctions.Chat;
using QwenFunctions.Chat.Tools;

namespace QwenFunctions.Responses;

/// <summary>
/// A Responses request as the chat pipeline's turn: the instructions as the system message, then the input. With a
/// previous response, the turn continues that response's upstream chat, so only the new input goes upstream.
/// </summary>
public static class ResponseTurnReader
{
    public static ChatTurn ToTurn(ParsedResponsesRequest request, StoredResponse? previous)
    {
        var messages = request.Messages;
        if (previous is not null && PriorCalls(previous.ResponseJson) is { Count: > 0 } calls)
        {
            // The follow-up of a tool call carries only function_call_output items: the calls they answer are in the
            // previous response's output. As the assistant turn before the new input they name the results (Qwen's
            // <tool_response> blocks carry the function name) and mark where the new part starts; the continued
            // chat already holds them, so they are not sent again.
            messages = [new ChatMessage(ChatMessage.Assistant, "", [], []) { ToolCalls = calls }, .. messages];
        }

        return new ChatTurn
        {
            RequestedModel = request.Body.Model,
            Messages = request.Instructions is { Length: > 0 } instructions
                ? [new ChatMessage(ChatMessage.System, instructions, [], []), .. messages]
                : messages,
            ChatId = previous?.Conversation?.ChatId,
            ParentId = previous?.Conversation?.ParentId,
            Thinking = request.Thinking,
            Stream = request.Stream,
            Tools = request.Tools,
            HistoryParam = "input",
        };
    }

    /// <summary>The function and custom tool calls of a stored response's output.</summary>
    private static List<ToolCall> PriorCalls(string responseJson)
    {
        var calls = new List<ToolCall>();
        using var document = JsonDocument.Parse(responseJson);
        if (!document.RootElement.TryGetProperty("output", out var output) || output.ValueKind != JsonValueKind.Array)
        {
            return calls;
        }

        foreach (var item in output.EnumerateArray())
        {
            var custom = Str(item, "type") switch
            {
                "function_call" => false,
                "custom_tool_call" => true,
                _ => (bool?)null,
            };
            if (custom is { } isCustom && Str(item, "call_id") is { } callId && Str(item, "name") is { } name)
            {
                calls.Add(new ToolCall(callId, name, Str(item, isCustom ? "input" : "arguments") ?? "", isCustom ? ToolKind.Custom : ToolKind.Function));
            }
        }

        return calls;
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
