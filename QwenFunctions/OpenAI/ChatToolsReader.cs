using System.Text.Json;
using System.Text.Json.Nodes;
using QwenFunctions.Chat.Tools;
using QwenFunctions.Http;

namespace QwenFunctions.OpenAI;

/// <summary>
/// Chat-completions tools (<c>tools</c> + <c>tool_choice</c>, and the legacy <c>functions</c> + <c>function_call</c>)
/// and the calls of replayed assistant messages, in the surface-neutral tool model.
/// </summary>
public static class ChatToolsReader
{
    /// <summary>The tools of a request (chat completions and native chat take the same fields); throws a 400 naming the field.</summary>
    public static ToolSet Read(JsonElement? tools, JsonElement? toolChoice, bool? parallelToolCalls, JsonElement? functions = null, JsonElement? functionCall = null)
    {
        var legacy = tools is not { ValueKind: JsonValueKind.Array } && functions is { ValueKind: JsonValueKind.Array };
        if (!legacy && tools is not { ValueKind: JsonValueKind.Array })
        {
            return ToolSet.Empty;
        }

        var definitions = legacy ? Functions(functions!.Value) : Tools(tools);
        var choice = legacy ? Choice(functionCall, "function_call") : Choice(toolChoice, "tool_choice");
        var set = new ToolSet(definitions, choice, parallelToolCalls ?? true);
        if (set.Problem() is { } problem)
        {
            throw ApiException.BadRequest(problem, legacy ? "functions" : "tools");
        }

        return set;
    }

    /// <summary>An assistant message's <c>tool_calls</c> (or legacy <c>function_call</c>), in order.</summary>
    public static IReadOnlyList<ToolCall> Calls(ChatCompletionMessage message, int index)
    {
        var calls = new List<ToolCall>();
        if (message.ToolCalls is { ValueKind: JsonValueKind.Array } list)
        {
            foreach (var item in list.EnumerateArray())
            {
                var function = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("function", out var f) ? f : default;
                var name = Str(function, "name") ?? throw ApiException.BadRequest("A tool call needs function.name.", $"messages[{index}].tool_calls");
                calls.Add(new ToolCall(Str(item, "id") ?? ToolCall.NewId(), name, ArgumentsText(function)));
            }
        }
        else if (message.FunctionCall is { ValueKind: JsonValueKind.Object } legacy && Str(legacy, "name") is { } name)
        {
            calls.Add(new ToolCall(ToolCall.NewId(), name, ArgumentsText(legacy)));
        }

        return calls;
    }

    private static List<ToolDefinition> Tools(JsonElement? tools)
    {
        var list = new List<ToolDefinition>();
        if (tools is not { ValueKind: JsonValueKind.Array } array)
        {
            return list;
        }

        var i = 0;
        foreach (var tool in array.EnumerateArray())
        {
            var type = Str(tool, "type") ?? "function";
            if (type == "function" && tool.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object)
            {
                list.Add(Definition(function, $"tools[{i}].function"));
            }
            else if (type == "custom" && tool.TryGetProperty("custom", out var custom) && custom.ValueKind == JsonValueKind.Object)
            {
                list.Add(ToolDefinition.Custom(Str(custom, "name") ?? "", Str(custom, "description"), Format(custom)));
            }
            else if (type == "function")
            {
                throw ApiException.BadRequest("A function tool needs a 'function' object with a name.", $"tools[{i}]");
            }

            // Other (hosted) tool types cannot be served over this upstream: they are left out, not refused.
            i++;
        }

        return list;
    }

    private static List<ToolDefinition> Functions(JsonElement functions) =>
        functions.EnumerateArray().Select((f, i) => Definition(f, $"functions[{i}]")).ToList();

    private static ToolDefinition Definition(JsonElement function, string param)
    {
        var name = Str(function, "name") ?? throw ApiException.BadRequest("A function tool needs a name.", param);
        var parameters = function.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Object ? JsonNode.Parse(p.GetRawText()) as JsonObject : null;
        return ToolDefinition.Function(name, Str(function, "description"), parameters);
    }

    private static string? Format(JsonElement custom) =>
        custom.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.Object && Str(format, "type") == "grammar"
            && format.TryGetProperty("grammar", out var grammar) && grammar.ValueKind == JsonValueKind.Object
            ? $"{Str(grammar, "syntax")} grammar:\n{Str(grammar, "definition")}"
            : null;

    private static ToolChoice Choice(JsonElement? choice, string param) => choice switch
    {
        null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => ToolChoice.Auto,
        { ValueKind: JsonValueKind.String } s => s.GetString() switch
        {
            "auto" => ToolChoice.Auto,
            "none" => ToolChoice.None,
            "required" => ToolChoice.Required,
            var other => throw ApiException.BadRequest($"'{other}' is not a valid {param}; use auto, none, required or a named function.", param),
        },
        { ValueKind: JsonValueKind.Object } o => (o.TryGetProperty("function", out var f) ? Str(f, "name") : Str(o, "name")) is { } name
            ? ToolChoice.Named(name)
            : Str(o, "type") == "custom" && o.TryGetProperty("custom", out var c) && Str(c, "name") is { } custom
                ? ToolChoice.Named(custom)
                : throw ApiException.BadRequest($"A named {param} needs function.name.", param),
        _ => throw ApiException.BadRequest($"{param} must be a string or an object.", param),
    };

    private static string ArgumentsText(JsonElement function) =>
        function.ValueKind == JsonValueKind.Object && function.TryGetProperty("arguments", out var a)
            ? a.ValueKind == JsonValueKind.String ? a.GetString() ?? "{}" : a.GetRawText()
            : "{}";

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
