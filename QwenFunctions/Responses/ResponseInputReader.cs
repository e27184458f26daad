using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using QwenFunctions.Chat;
using QwenFunctions.Http;

namespace QwenFunctions.Responses;

/// <summary>A validated Responses request: what the conversation needs, and the input as it is stored and listed.</summary>
public sealed record ParsedResponsesRequest(
    ResponsesRequest Body,
    IReadOnlyList<ResponseInputItem> Items,
    IReadOnlyList<JsonObject> StoredItems,
    string? Instructions,
    IReadOnlyList<ResponseTool> Tools,
    ResponseToolChoice ToolChoice,
    bool? Thinking)
{
    public bool Stream => Body.Stream ?? false;

    public bool Store => Body.Store ?? true;

    public bool ParallelToolCalls => Body.ParallelToolCalls ?? true;

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

        var (items, stored) = ReadInput(body.Input);
        if (items.Count == 0)
        {
            throw ApiException.BadRequest("'input' is required: a string or a non-empty list of input items.", "input");
        }

        var tools = ReadTools(body.Tools);
        var choice = ReadToolChoice(body.ToolChoice, ref tools);
        var instructions = Join(body.Instructions, FormatInstruction(body.Text?.Format));
        return new ParsedResponsesRequest(body, items, stored, instructions, tools, choice, Thinking(body.Reasoning));
    }

    private static bool? Thinking(ResponsesRequest.ReasoningOptions? reasoning) => reasoning switch
    {
        null => null,
        { Effort: { } effort } => !effort.Trim().Equals("none", StringComparison.OrdinalIgnoreCase),
        { Summary: { Length: > 0 } } => true,
        _ => null,
    };

    private static (List<ResponseInputItem>, List<JsonObject>) ReadInput(JsonElement? input)
    {
        var items = new List<ResponseInputItem>();
        var stored = new List<JsonObject>();
        switch (input)
        {
            case { ValueKind: JsonValueKind.String } text:
                var value = text.GetString() ?? "";
                items.Add(new ResponseInputMessage(ChatMessage.User, value, [], []));
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

    private static void ReadItem(JsonElement element, string param, List<ResponseInputItem> items, List<JsonObject> stored)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw ApiException.BadRequest("Each input item must be an object.", param);
        }

        var type = Str(element, "type") ?? (element.TryGetProperty("role", out _) ? "message" : null);
        ResponseInputItem? item = type switch
        {
            "message" => Message(element, param),
            "function_call" => new ResponseInputToolCall(Required(element, "call_id", param), Required(element, "name", param), Str(element, "arguments") ?? "{}", false),
            "custom_tool_call" => new ResponseInputToolCall(Required(element, "call_id", param), Required(element, "name", param), Str(element, "input") ?? "", true),
            "function_call_output" or "custom_tool_call_output" => new ResponseInputToolOutput(Required(element, "call_id", param), Output(element, param)),

            // Reasoning is the model's own scratchpad (not replayed to it), references point at items we do not keep
            // apart from their response, and other types (web_search_call, …) describe tools this app does not run.
            _ => null,
        };
        if (item is null)
        {
            return;
        }

        items.Add(item);
        var node = JsonNode.Parse(element.GetRawText())!.AsObject();
        node["type"] = type;
        if (item is ResponseInputMessage message && element.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
        {
            var partType = message.Role == ChatMessage.Assistant ? "output_text" : "input_text";
            node["content"] = new JsonArray(new JsonObject { ["type"] = partType, ["text"] = content.GetString() });
        }

        if (node["id"] is null)
        {
            node["id"] = ResponseIds.New(item switch
            {
                ResponseInputMessage => ResponseIds.Message,
                ResponseInputToolCall { Custom: true } => ResponseIds.CustomToolCall,
                ResponseInputToolCall => ResponseIds.FunctionCall,
                _ => ResponseIds.ToolOutput,
            });
        }

        stored.Add(node);
    }

    private static ResponseInputMessage Message(JsonElement element, string param)
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
        return new ResponseInputMessage(role, text, images, files);
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

    private static List<ResponseTool> ReadTools(JsonElement? tools)
    {
        var result = new List<ResponseTool>();
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
                    result.Add(new ResponseTool(Required(fn, "name", param), Str(fn, "description"),
                        fn.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object ? parameters.Clone() : null, false, null));
                    break;
                case "custom":
                    result.Add(new ResponseTool(Required(tool, "name", param), Str(tool, "description"), null, true, CustomFormat(tool)));
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

    private static ResponseToolChoice ReadToolChoice(JsonElement? choice, ref List<ResponseTool> tools)
    {
        switch (choice)
        {
            case { ValueKind: JsonValueKind.String } mode:
                return mode.GetString() switch
                {
                    "none" => new ResponseToolChoice(ResponseToolMode.None),
                    "required" => new ResponseToolChoice(ResponseToolMode.Required),
                    _ => ResponseToolChoice.Auto,
                };
            case { ValueKind: JsonValueKind.Object } named:
                switch (Str(named, "type"))
                {
                    case "function" or "custom":
                        var name = Str(named, "name") ?? (named.TryGetProperty("function", out var f) ? Str(f, "name") : null)
                            ?? throw ApiException.BadRequest("A named tool_choice needs the tool's name.", "tool_choice");
                        if (tools.All(t => t.Name != name))
                        {
                            throw ApiException.BadRequest($"tool_choice names '{name}', which is not in 'tools'.", "tool_choice");
                        }

                        return new ResponseToolChoice(ResponseToolMode.Named, name);
                    case "allowed_tools":
                        var allowed = named.TryGetProperty("tools", out var list) && list.ValueKind == JsonValueKind.Array
                            ? list.EnumerateArray().Select(t => Str(t, "name")).OfType<string>().ToHashSet()
                            : [];
                        tools = tools.Where(t => allowed.Contains(t.Name)).ToList();
                        return Str(named, "mode") == "required" ? new ResponseToolChoice(ResponseToolMode.Required) : ResponseToolChoice.Auto;
                }

                return ResponseToolChoice.Auto;
            default:
                return ResponseToolChoice.Auto;
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
