using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace QwenFunctions.Chat.Tools;

/// <summary>
/// Reads the body of one &lt;tool_call&gt; block: the JSON form (<c>{"name","arguments"}</c>, also with
/// <c>parameters</c>/<c>args</c>, or an array of such objects) or the Qwen-coder form
/// (<c>&lt;function=NAME&gt;&lt;parameter=P&gt;value&lt;/parameter&gt;&lt;/function&gt;</c>). A body that is neither,
/// or names a tool that was not offered, is not a call: the caller returns it to the client as text.
/// </summary>
public static partial class ToolCallBlockParser
{
    /// <summary>The calls in the block (ids not yet assigned), or null when the block is not a valid call.</summary>
    public static IReadOnlyList<(string Name, string Arguments, ToolKind Kind)>? Parse(string body, ToolSet tools)
    {
        var trimmed = body.Trim();
        return trimmed.StartsWith("<function=", StringComparison.Ordinal) ? ParseFunctionTags(trimmed, tools) : ParseJson(trimmed, tools);
    }

    private static IReadOnlyList<(string, string, ToolKind)>? ParseJson(string body, ToolSet tools)
    {
        var items = LenientJson.TryParse(body) switch
        {
            JsonObject one => [one],
            JsonArray many when many.Count > 0 && many.All(n => n is JsonObject) => many.Cast<JsonObject>().ToList(),
            _ => null,
        };
        if (items is null)
        {
            return null;
        }

        var calls = new List<(string, string, ToolKind)>();
        foreach (var item in items)
        {
            if (item["name"] is not JsonValue nameValue || !nameValue.TryGetValue<string>(out var name) || tools.Find(name) is not { } tool)
            {
                return null;
            }

            var arguments = item["arguments"] ?? item["parameters"] ?? item["args"];
            var text = tool.Kind == ToolKind.Custom ? CustomInput(arguments) : FunctionArguments(arguments);
            if (text is null)
            {
                return null;
            }

            calls.Add((name, text, tool.Kind));
        }

        return calls;
    }

    private static string? FunctionArguments(JsonNode? arguments)
    {
        switch (arguments)
        {
            case null:
                return "{}";
            case JsonObject obj:
                return obj.ToJsonString(ToolJson.Prompt);
            case JsonValue value when value.TryGetValue<string>(out var text):
                // Some models write the arguments as a string holding JSON (as OpenAI's wire does).
                return text.Trim().Length == 0 ? "{}" : LenientJson.TryParse(text) is JsonObject inner ? inner.ToJsonString(ToolJson.Prompt) : null;
            default:
                return null;
        }
    }

    private static string? CustomInput(JsonNode? arguments) => arguments switch
    {
        JsonObject obj when obj["input"] is JsonValue v && v.TryGetValue<string>(out var input) => input,
        JsonObject { Count: 1 } obj when obj.First().Value is JsonValue v && v.TryGetValue<string>(out var only) => only,
        JsonValue v when v.TryGetValue<string>(out var raw) => raw,
        _ => null,
    };

    private static IReadOnlyList<(string, string, ToolKind)>? ParseFunctionTags(string body, ToolSet tools)
    {
        var calls = new List<(string, string, ToolKind)>();
        var position = 0;
        foreach (Match function in FunctionTag().Matches(body))
        {
            if (body[position..function.Index].Trim().Length > 0)
            {
                return null;
            }

            position = function.Index + function.Length;
            var name = function.Groups["name"].Value.Trim();
            if (tools.Find(name) is not { } tool)
            {
                return null;
            }

            var values = new List<(string Name, string Value)>();
            var inner = function.Groups["body"].Value;
            var at = 0;
            foreach (Match parameter in ParameterTag().Matches(inner))
            {
                if (inner[at..parameter.Index].Trim().Length > 0)
                {
                    return null;
                }

                at = parameter.Index + parameter.Length;
                values.Add((parameter.Groups["name"].Value.Trim(), TrimOneNewline(parameter.Groups["value"].Value)));
            }

            if (inner[at..].Trim().Length > 0)
            {
                return null;
            }

            calls.Add(tool.Kind == ToolKind.Custom
                ? (name, values.Count == 1 ? values[0].Value : values.FirstOrDefault(v => v.Name == "input").Value ?? "", ToolKind.Custom)
                : (name, TypedArguments(values, tool.Parameters), ToolKind.Function));
        }

        return calls.Count > 0 && body[position..].Trim().Length == 0 ? calls : null;
    }

    /// <summary>Parameter values are raw text; like vLLM's Qwen3-coder parser they are converted by the schema's type.</summary>
    private static string TypedArguments(IEnumerable<(string Name, string Value)> values, JsonObject? schema)
    {
        var arguments = new JsonObject();
        foreach (var (name, value) in values)
        {
            var type = (schema?["properties"]?[name]?["type"] as JsonValue)?.TryGetValue<string>(out var t) == true ? t : "string";
            arguments[name] = type is "string" ? JsonValue.Create(value) : ParseOrString(value);
        }

        return arguments.ToJsonString(ToolJson.Prompt);
    }

    private static JsonNode? ParseOrString(string value)
    {
        try
        {
            return JsonNode.Parse(value.Trim()) ?? JsonValue.Create(value);
        }
        catch (JsonException)
        {
            return JsonValue.Create(value);
        }
    }

    private static string TrimOneNewline(string value)
    {
        if (value.StartsWith('\n'))
        {
            value = value[1..];
        }

        return value.EndsWith('\n') ? value[..^1] : value;
    }

    [GeneratedRegex(@"<function=(?<name>[^>\n]+)>(?<body>.*?)</function>", RegexOptions.Singleline)]
    private static partial Regex FunctionTag();

    [GeneratedRegex(@"<parameter=(?<name>[^>\n]+)>(?<value>.*?)</parameter>", RegexOptions.Singleline)]
    private static partial Regex ParameterTag();
}
