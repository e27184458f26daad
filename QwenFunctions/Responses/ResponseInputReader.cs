using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using QwenFunctions.Chat;
using QwenFunctions.Chat.Tools;
using QwenFunctions.Http;

namespace QwenFunctions.Responses;

/// <summary>
/// A validated Responses request: the input as the chat pipeline's messages (reasoning dropped, calls on the assistant
/// message that made them), the input as it is stored and listed, the instructions (with any JSON format asked for
/// in words) and the tools.
/// </summary>
public sealed record ParsedResponsesRequest(
    ResponsesRequest Body,
    IReadOnlyList<ChatMessage> Messages,
    IReadOnlyList<JsonObject> StoredItems,
    string? Instructions,
    ToolSet Tools,
    bool? Thinking)
{
    public bool Stream => Body.Stream ?? false;

    public bool Store => Body.Store ?? true;

    public string? PreviousResponseId => Body.PreviousResponseId is { Length: > 0 } id ? id : null;
}

/// <summary>
/// Reads a Responses request. Liberal like OpenAI's own clients need: unknown fields, unknown item types and tool
/// types the app cannot serve (web_search, mcp, …) are left out rather than refused, since agents send them all.
/// </summary>
public static class ResponseInputReader
{
    public static ParsedResponsesRequest Read(ResponsesRequest body)
    {
        if (body.Temperature is < 0 or > 2)
        {
            throw ApiException.BadRequest($"{body.Temperature} is not a valid temperature; it must be between 0 and 2.", "temperature");
        }

        var (messages, stored) = ReadInput(body.Input);
        if (messages.Count == 0)
        {
            throw ApiException.BadRequest("'input' is required: a string or a non-empty list of input items.", "input");
        }

        var tools = ReadTools(body.Tools);
        var choice = ReadToolChoice(body.ToolChoice, ref tools);
        var set = new ToolSet(tools, choice, body.ParallelToolCalls ?? true);
        if (set.Problem() is { } problem)
        {
            throw ApiException.BadRequest(problem, choice.Mode == ToolChoiceMode.Named ? "tool_choice" : "tools");
        }

        var instructions = Join(body.Instructions, FormatInstruction(body.Text?.Format));
        return new ParsedResponsesRequest(body, messages, stored, instructions, set, Thinking(body.Reasoning));
    }

    private static bool? Thinking(ResponsesRequest.ReasoningOptions? reasoning) => reasoning switch
    {
        null => null,
        { Effort: { } effort } => !effort.Trim().Equals("none", StringComparison.OrdinalIgnoreCase),
        { Summary: { Length: > 0 } } => true,
        _ => null,
    };

    private static (List<ChatMessage>, List<JsonObject>) ReadInput(JsonElement? input)
    {
        var items = new List<ChatMessage>();
        var stored = new List<JsonObject>();
        switch (input)
        {
            case { ValueKind: JsonValueKind.String } text:
                var value = text.GetString() ?? "";
                items.Add(new ChatMessage(ChatMessage.User, value, [], []));
                stored.Add(StoredMessage("user", [new JsonObject { ["type"] = "input_text", ["text"] = value }]));
                break;
            case { ValueKind: JsonValueKind.Array } list:
                var index = 0;
                foreach (var element in list.EnumerateArray())
                {
                    ReadItem(element, $"input[{index++}]", items, stored);
                }

                break;
            case null or { ValueKind: JsonValueKind.Null }:
                break;
            default:
                throw ApiException.BadRequest("'input' must be a string or a list of input items.", "input");
        }

        return (items, stored);
    }

    private static void ReadItem(JsonElement element, string param, List<ChatMessage> items, List<JsonObject> stored)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw ApiException.BadRequest("Each input item must be an object.", param);
        }

        var type = Str(element, "type") ?? (element.TryGetProperty("role", out _) ? "message" : null);
        string idPrefix;
        switch (type)
        {
            case "message":
                var message = Message(element, param);
                items.Add(message);
                idPrefix = ResponseIds.Message;
                break;
            case "function_call" or "custom_tool_call":
                var custom = type == "custom_tool_call";
                var call = new ToolCall(Required(element, "call_id", param), Required(element, "name", param),
                    Str(element, custom ? "input" : "arguments") ?? (custom ? "" : "{}"), custom ? ToolKind.Custom : ToolKind.Function);

                // Responses lists a turn's text and its calls as separate items; the chat history has them on one message.
                if (items.Count > 0 && items[^1] is { Role: ChatMessage.Assistant } assistant)
                {
                    items[^1] = assistant with { ToolCalls = [.. assistant.ToolCalls, call] };
                }
                else
                {
                    items.Add(new ChatMessage(ChatMessage.Assistant, "", [], []) { ToolCalls = [call] });
                }

                idPrefix = custom ? ResponseIds.CustomToolCall : ResponseIds.FunctionCall;
                break;
            case "function_call_output" or "custom_tool_call_output":
                var callId = Required(element, "call_id", param);
                var name = items.SelectMany(m => m.ToolCalls).LastOrDefault(c => c.Id == callId)?.Name;
                items.Add(new ChatMessage(ChatMessage.Tool, Output(element, param), [], []) { ToolCallId = callId, ToolName = name });
                idPrefix = ResponseIds.ToolOutput;
                break;
            default:
                // Reasoning is the model's own scratchpad (not replayed to it), references point at items this app keeps
                // only with their response, and other types (web_search_call, …) belong to tools this app does not run.
                return;
        }

        var node = JsonNode.Parse(element.GetRawText())!.AsObject();
        node["type"] = type;
        if (type == "message" && element.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
        {
            var partType = items[^1].Role == ChatMessage.Assistant ? "output_text" : "input_text";
            node["content"] = new JsonArray(new JsonObject { ["type"] = partType, ["text"] = content.GetString() });
        }

        node["id"] ??= ResponseIds.New(idPrefix);
        stored.Add(node);
    }

    private static ChatMessage Message(JsonElement element, string param)
    {
        var role = Str(element, "role")?.Trim().ToLowerInvariant() switch
        {
            "user" => ChatMessage.User,
            "assistant" => ChatMessage.Assistant,
            "system" or "developer" => ChatMessage.System,
            var other => throw ApiException.BadRequest($"Unknown message role '{other}'.", param + ".role"),
        };
        var content = element.TryGetProperty("content", out var c) ? c : (JsonElement?)null;
        var (text, images, files) = ContentParts.Parse(content, param + ".content");
        return new ChatMessage(role, text, images, files);
    }

    private static string Output(JsonElement element, string param)
    {
        if (!element.TryGetProperty("output", out var output))
        {
            return "";
        }

        // A tool may answer with parts; the upstream takes text, so their text is the result.
        return ContentParts.Parse(output, param + ".output").Text;
    }

    private static List<ToolDefinition> ReadTools(JsonElement? tools)
    {
        var result = new List<ToolDefinition>();
        if (tools is not { ValueKind: JsonValueKind.Array } list)
        {
            return result;
        }

        var index = 0;
        foreach (var tool in list.EnumerateArray())
        {
            var param = $"tools[{index++}]";
            if (tool.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            switch (Str(tool, "type"))
            {
                case "function":
                    // Chat's nested {function:{…}} shape is accepted too: clients ported from chat completions send it.
                    var fn = tool.TryGetProperty("function", out var nested) && nested.ValueKind == JsonValueKind.Object ? nested : tool;
                    result.Add(ToolDefinition.Function(Required(fn, "name", param), Str(fn, "description"),
                        fn.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object ? JsonNode.Parse(parameters.GetRawText())!.AsObject() : null));
                    break;
                case "custom":
                    result.Add(ToolDefinition.Custom(Required(tool, "name", param), Str(tool, "description"), CustomFormat(tool)));
                    break;
            }
        }

        return result;
    }

    /// <summary>A grammar (lark or regex) tells the model what the raw input must look like; plain text needs no words.</summary>
    private static string? CustomFormat(JsonElement tool)
    {
        if (!tool.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.Object || Str(format, "type") != "grammar")
        {
            return null;
        }

        return Str(format, "definition") is { Length: > 0 } definition ? $"{Str(format, "syntax") ?? "grammar"} grammar:\n{definition}" : null;
    }

    private static ToolChoice ReadToolChoice(JsonElement? choice, ref List<ToolDefinition> tools)
    {
        switch (choice)
        {
            case { ValueKind: JsonValueKind.String } mode:
                return mode.GetString() switch
                {
                    "none" => ToolChoice.None,
                    "required" => ToolChoice.Required,
                    _ => ToolChoice.Auto,
                };
            case { ValueKind: JsonValueKind.Object } named:
                switch (Str(named, "type"))
                {
                    case "function" or "custom":
                        var name = Str(named, "name") ?? (named.TryGetProperty("function", out var f) ? Str(f, "name") : null)
                            ?? throw ApiException.BadRequest("A named tool_choice needs the tool's name.", "tool_choice");
                        return ToolChoice.Named(name);
                    case "allowed_tools":
                        var allowed = named.TryGetProperty("tools", out var list) && list.ValueKind == JsonValueKind.Array
                            ? list.EnumerateArray().Select(t => Str(t, "name")).OfType<string>().ToHashSet()
                            : [];
                        tools = tools.Where(t => allowed.Contains(t.Name)).ToList();
                        return Str(named, "mode") == "required" ? ToolChoice.Required : ToolChoice.Auto;
                }

                return ToolChoice.Auto;
            default:
                return ToolChoice.Auto;
        }
    }

    /// <summary>The upstream has no structured output: JSON formats are asked for in words (best effort, documented).</summary>
    private static string? FormatInstruction(JsonElement? format)
    {
        if (format is not { ValueKind: JsonValueKind.Object } f)
        {
            return null;
        }

        switch (Str(f, "type"))
        {
            case "json_object":
                return "Answer with one valid JSON object only: no prose, no code fences.";
            case "json_schema":
                var text = new StringBuilder("Answer with one valid JSON object only (no prose, no code fences) that conforms to this JSON schema");
                if (Str(f, "name") is { Length: > 0 } name)
                {
                    text.Append(" named '").Append(name).Append('\'');
                }

                if (Str(f, "description") is { Length: > 0 } description)
                {
                    text.Append(" (").Append(description).Append(')');
                }

                text.Append(":\n").Append(f.TryGetProperty("schema", out var schema) ? schema.GetRawText() : "{}");
                return text.ToString();
            default:
                return null;
        }
    }

    private static JsonObject StoredMessage(string role, JsonArray content) => new()
    {
        ["type"] = "message",
        ["id"] = ResponseIds.New(ResponseIds.Message),
        ["role"] = role,
        ["content"] = content,
    };

    private static string? Join(string? a, string? b) =>
        (a is { Length: > 0 }, b is { Length: > 0 }) switch
        {
            (true, true) => a + "\n\n" + b,
            (true, false) => a,
            (false, true) => b,
            _ => null,
        };

    private static string Required(JsonElement e, string name, string param) =>
        Str(e, name) is { Length: > 0 } value ? value : throw ApiException.BadRequest($"'{name}' is required here.", $"{param}.{name}");

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
