using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace QwenFunctions.Chat.Tools;

/// <summary>
/// Tools in Qwen's own chat-template convention (the Hermes-style format Qwen models are trained on): signatures as
/// JSON lines inside &lt;tools&gt;&lt;/tools&gt; in the instructions, calls as &lt;tool_call&gt; blocks, results as
/// &lt;tool_response&gt; blocks. The upstream takes one text message, so this text is the whole of the tool protocol.
/// </summary>
public static class ToolPrompt
{
    public const string CallOpen = "<tool_call>";
    public const string CallClose = "</tool_call>";
    public const string ResponseOpen = "<tool_response>";
    public const string ResponseClose = "</tool_response>";

    /// <summary>The "# Tools" part of the instructions, or null when no tool is offered (tool choice none, or no tools).</summary>
    public static string? Instructions(ToolSet set)
    {
        if (!set.Active)
        {
            return null;
        }

        var text = new StringBuilder();
        text.Append("# Tools\n\nYou may call one or more functions to assist with the user query.\n\n")
            .Append("You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n");
        foreach (var tool in set.Offered)
        {
            text.Append(Signature(tool)).Append('\n');
        }

        text.Append("</tools>\n\n")
            .Append("For each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n")
            .Append("<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call>");
        if (set.Choice.Mode == ToolChoiceMode.Named)
        {
            text.Append("\n\nYou must call the function \"").Append(set.Choice.FunctionName).Append("\" in this reply.");
        }
        else if (set.Choice.Mode == ToolChoiceMode.Required)
        {
            text.Append("\n\nYou must call at least one of these functions in this reply.");
        }

        if (!set.ParallelCalls)
        {
            text.Append("\n\nCall at most one function in this reply.");
        }

        return text.ToString();
    }

    /// <summary>An earlier call as the model writes it, for a folded history.</summary>
    public static string CallBlock(ToolCall call)
    {
        var body = new JsonObject { ["name"] = call.Name, ["arguments"] = ArgumentsNode(call) };
        return CallOpen + "\n" + body.ToJsonString(ToolJson.Prompt) + "\n" + CallClose;
    }

    /// <summary>Earlier calls, one block each, separated by a newline (as the template joins them).</summary>
    public static string CallBlocks(IEnumerable<ToolCall> calls) => string.Join("\n", calls.Select(CallBlock));

    /// <summary>
    /// Tool results in the order given, one &lt;tool_response&gt; block each. Each block names its function
    /// (<c>{"name": …, "content": …}</c>) so that parallel results cannot be confused; a result that is JSON stays JSON.
    /// </summary>
    public static string ResponseBlocks(IEnumerable<ToolResult> results) => string.Join("\n", results.Select(r =>
    {
        var body = new JsonObject { ["name"] = r.Name ?? "", ["content"] = ContentNode(r.Content) };
        return ResponseOpen + "\n" + body.ToJsonString(ToolJson.Prompt) + "\n" + ResponseClose;
    }));

    /// <summary>Fills in the function name of results whose surface sends only the call id (OpenAI <c>role:"tool"</c>).</summary>
    public static IReadOnlyList<ToolResult> Named(IEnumerable<ToolResult> results, IEnumerable<ToolCall> earlierCalls)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var call in earlierCalls)
        {
            names[call.Id] = call.Name;
        }

        return results.Select(r => r.Name is { Length: > 0 } || r.CallId is null || !names.TryGetValue(r.CallId, out var name) ? r : r with { Name = name }).ToArray();
    }

    private static string Signature(ToolDefinition tool)
    {
        var function = new JsonObject { ["name"] = tool.Name };
        if (tool.Kind == ToolKind.Custom)
        {
            // A freeform tool is shown as a function with one string argument; its value comes back as the raw input.
            var description = (tool.Description is { Length: > 0 } d ? d + "\n\n" : "")
                + "This is a FREEFORM tool: pass the raw text as the string argument \"input\" (not wrapped in any other JSON)."
                + (tool.InputFormat is { Length: > 0 } format ? "\nThe input must follow this format:\n" + format : "");
            function["description"] = description;
            function["parameters"] = new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject { ["input"] = new JsonObject { ["type"] = "string", ["description"] = "The raw input." } },
                ["required"] = new JsonArray("input"),
            };
        }
        else
        {
            if (tool.Description is { Length: > 0 } description)
            {
                function["description"] = description;
            }

            function["parameters"] = tool.Parameters?.DeepClone() ?? new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
        }

        return new JsonObject { ["type"] = "function", ["function"] = function }.ToJsonString(ToolJson.Prompt);
    }

    private static JsonNode? ArgumentsNode(ToolCall call)
    {
        if (call.Kind == ToolKind.Custom)
        {
            return new JsonObject { ["input"] = call.Arguments };
        }

        // The template writes the arguments as an object; a client's arguments text that is not JSON is kept as it is.
        try
        {
            return JsonNode.Parse(call.Arguments.Length == 0 ? "{}" : call.Arguments);
        }
        catch (JsonException)
        {
            return JsonValue.Create(call.Arguments);
        }
    }

    private static JsonNode? ContentNode(string content)
    {
        var trimmed = content.AsSpan().Trim();
        if (trimmed.Length > 0 && trimmed[0] is '{' or '[')
        {
            try
            {
                return JsonNode.Parse(content);
            }
            catch (JsonException)
            {
                // Not JSON after all: given as text.
            }
        }

        return JsonValue.Create(content);
    }
}
