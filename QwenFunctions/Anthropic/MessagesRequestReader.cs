using System.Text.Json;
using System.Text.Json.Nodes;
using QwenFunctions.Http;

namespace QwenFunctions.Anthropic;

/// <summary>
/// Messages API body → <see cref="MessagesCall"/>. Liberal in what it accepts (unknown fields and block types the
/// upstream cannot use are ignored, empty text blocks dropped, thinking accepted but never required to be signed);
/// refuses what would silently change the meaning, naming the field Anthropic-style (<c>messages.0.content.1</c>).
/// </summary>
public sealed class MessagesRequestReader(ThinkingSignature signatures)
{
    /// <param name="countOnly">count_tokens: no max_tokens, no stream.</param>
    public MessagesCall Read(MessagesRequest request, bool countOnly = false)
    {
        if (request.Model is not { Length: > 0 } model)
        {
            throw Invalid("model: Field required.", "model");
        }

        if (!countOnly && request.MaxTokens is not { } maxTokens)
        {
            throw Invalid("max_tokens: Field required.", "max_tokens");
        }

        if (!countOnly && request.MaxTokens < 1)
        {
            throw Invalid("max_tokens: must be at least 1.", "max_tokens");
        }

        if (request.Messages is not { Count: > 0 } messages)
        {
            throw Invalid("messages: at least one message is required.", "messages");
        }

        var tools = ReadTools(request.Tools);
        return new MessagesCall
        {
            Model = model,
            MaxTokens = countOnly ? null : request.MaxTokens,
            System = ReadSystem(request.System),
            Messages = messages.Select(ReadMessage).ToList(),
            Tools = tools,
            ToolChoice = ReadToolChoice(request.ToolChoice, tools),
            Thinking = ReadThinking(request.Thinking),
            StopSequences = request.StopSequences?.Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).Distinct().ToList() ?? [],
            Stream = !countOnly && request.Stream == true,
        };
    }

    private static string ReadSystem(JsonElement? system) => system switch
    {
        null or { ValueKind: JsonValueKind.Null } => "",
        { ValueKind: JsonValueKind.String } s => s.GetString() ?? "",
        { ValueKind: JsonValueKind.Array } blocks => string.Join("\n\n", blocks.EnumerateArray().Select((b, i) =>
            Type(b) == "text" ? Str(b, "text") ?? "" : throw Invalid($"system.{i}.type: only text blocks are allowed in system.", "system"))
            .Where(t => t.Length > 0)),
        _ => throw Invalid("system: must be a string or an array of text blocks.", "system"),
    };

    private AnthropicTurn ReadMessage(MessageParam message, int index)
    {
        var role = message.Role switch
        {
            AnthropicTurn.User or AnthropicTurn.Assistant => message.Role,
            _ => throw Invalid($"messages.{index}.role: must be 'user' or 'assistant' (system text goes in the top-level 'system').", $"messages.{index}.role"),
        };
        var field = $"messages.{index}.content";
        var blocks = message.Content switch
        {
            { ValueKind: JsonValueKind.String } s => s.GetString() is { Length: > 0 } text ? [new TextInput(text)] : [],
            { ValueKind: JsonValueKind.Array } list => list.EnumerateArray().Select((b, i) => ReadBlock(b, $"{field}.{i}")).OfType<AnthropicBlock>().ToList(),
            _ => throw Invalid($"{field}: must be a string or an array of content blocks.", field),
        };
        return new AnthropicTurn(role, blocks);
    }

    /// <summary>One content block, or null for one that carries nothing for the upstream.</summary>
    private AnthropicBlock? ReadBlock(JsonElement block, string field)
    {
        switch (Type(block))
        {
            case "text":
                // Anthropic itself refuses empty text blocks, but clients save and replay them: drop them instead.
                return Str(block, "text") is { Length: > 0 } text ? new TextInput(text) : null;
            case "image":
                return new ImageInput(ImageSource(block, field));
            case "document":
                return ReadDocument(block, field);
            case "tool_use":
                return new ToolUseInput(
                    Str(block, "id") ?? throw Invalid($"{field}.id: Field required.", field),
                    Str(block, "name") ?? throw Invalid($"{field}.name: Field required.", field),
                    block.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Object ? input.GetRawText() : "{}");
            case "tool_result":
                return ReadToolResult(block, field);
            case "thinking":
                var thinking = Str(block, "thinking") ?? "";
                return new ThinkingInput(thinking, signatures.Verify(thinking, Str(block, "signature")));
            case "redacted_thinking":
                return new ThinkingInput("", Verified: false);
            case null:
                throw Invalid($"{field}.type: Field required.", field);
            default:
                // server_tool_use, web_search_tool_result, search_result, container_upload, …: Anthropic-side
                // tools and results the upstream never saw and cannot use.
                return null;
        }
    }

    private static ToolResultInput ReadToolResult(JsonElement block, string field)
    {
        var id = Str(block, "tool_use_id") ?? throw Invalid($"{field}.tool_use_id: Field required.", field);
        var isError = block.TryGetProperty("is_error", out var e) && e.ValueKind == JsonValueKind.True;
        var texts = new List<string>();
        var images = new List<string>();
        if (block.TryGetProperty("content", out var content))
        {
            if (content.ValueKind == JsonValueKind.String)
            {
                texts.Add(content.GetString() ?? "");
            }
            else if (content.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var part in content.EnumerateArray())
                {
                    var partField = $"{field}.content.{i++}";
                    switch (Type(part))
                    {
                        case "text":
                            texts.Add(Str(part, "text") ?? "");
                            break;
                        case "image":
                            images.Add(ImageSource(part, partField));
                            break;
                        case "document" when DocumentText(part) is { } text:
                            texts.Add(text);
                            break;
                    }
                }
            }
        }

        return new ToolResultInput(id, string.Join("\n", texts.Where(t => t.Length > 0)), images, isError);
    }

    private static DocumentInput? ReadDocument(JsonElement block, string field)
    {
        var title = Str(block, "title");
        if (DocumentText(block) is { } text)
        {
            return new DocumentInput(null, text, title);
        }

        var source = Source(block, field);
        return Type(source) switch
        {
            "base64" => new DocumentInput(DataUri(source, field, "application/pdf"), null, title),
            "url" => new DocumentInput(Str(source, "url") ?? throw Invalid($"{field}.source.url: Field required.", field), null, title),
            "file" => new DocumentInput(Str(source, "file_id") ?? throw Invalid($"{field}.source.file_id: Field required.", field), null, title),
            var other => throw Invalid($"{field}.source.type: '{other}' is not a document source; use base64, url, text or content.", field),
        };
    }

    /// <summary>The text of a plain-text (<c>text</c>) or inline (<c>content</c>) document source, else null.</summary>
    private static string? DocumentText(JsonElement block)
    {
        if (!block.TryGetProperty("source", out var source) || source.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return Type(source) switch
        {
            "text" => Str(source, "data") ?? "",
            "content" when source.TryGetProperty("content", out var content) => content.ValueKind switch
            {
                JsonValueKind.String => content.GetString() ?? "",
                JsonValueKind.Array => string.Join("\n", content.EnumerateArray().Where(p => Type(p) == "text").Select(p => Str(p, "text") ?? "")),
                _ => "",
            },
            _ => null,
        };
    }

    private static string ImageSource(JsonElement block, string field)
    {
        var source = Source(block, field);
        return Type(source) switch
        {
            "base64" => DataUri(source, field, null),
            "url" => Str(source, "url") ?? throw Invalid($"{field}.source.url: Field required.", field),
            "file" => Str(source, "file_id") ?? throw Invalid($"{field}.source.file_id: Field required.", field),
            var other => throw Invalid($"{field}.source.type: '{other}' is not an image source; use base64 or url.", field),
        };
    }

    private static JsonElement Source(JsonElement block, string field) =>
        block.TryGetProperty("source", out var source) && source.ValueKind == JsonValueKind.Object
            ? source
            : throw Invalid($"{field}.source: Field required.", field);

    private static string DataUri(JsonElement source, string field, string? defaultMediaType)
    {
        var mediaType = Str(source, "media_type") ?? defaultMediaType ?? throw Invalid($"{field}.source.media_type: Field required.", field);
        var data = Str(source, "data") ?? throw Invalid($"{field}.source.data: Field required.", field);
        return $"data:{mediaType};base64,{data}";
    }

    private static IReadOnlyList<AnthropicTool> ReadTools(JsonElement? tools)
    {
        if (tools is not { ValueKind: JsonValueKind.Array } list)
        {
            return tools is null or { ValueKind: JsonValueKind.Null } ? [] : throw Invalid("tools: must be an array.", "tools");
        }

        var result = new List<AnthropicTool>();
        var i = 0;
        foreach (var tool in list.EnumerateArray())
        {
            var field = $"tools.{i++}";
            // Server tools (web_search_20250305, bash_20250124, …) run at Anthropic; nothing here can run them.
            if (Type(tool) is { } type && type != "custom")
            {
                continue;
            }

            var name = Str(tool, "name") ?? throw Invalid($"{field}.name: Field required.", field);
            var schema = tool.TryGetProperty("input_schema", out var s) && s.ValueKind == JsonValueKind.Object
                ? JsonNode.Parse(s.GetRawText())!.AsObject()
                : throw Invalid($"{field}.input_schema: Field required.", field);
            result.Add(new AnthropicTool(name, Str(tool, "description"), schema));
        }

        return result;
    }

    private static AnthropicToolChoice ReadToolChoice(JsonElement? choice, IReadOnlyList<AnthropicTool> tools)
    {
        if (choice is null or { ValueKind: JsonValueKind.Null })
        {
            return AnthropicToolChoice.Auto;
        }

        var value = choice.Value;
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("tool_choice: must be an object with a type.", "tool_choice");
        }

        var disableParallel = value.TryGetProperty("disable_parallel_tool_use", out var p) && p.ValueKind == JsonValueKind.True;
        var mode = Type(value) switch
        {
            "auto" => ToolChoiceType.Auto,
            "any" => ToolChoiceType.Any,
            "tool" => ToolChoiceType.Tool,
            "none" => ToolChoiceType.None,
            var other => throw Invalid($"tool_choice.type: '{other}' is not one of auto, any, tool, none.", "tool_choice"),
        };
        string? name = null;
        if (mode == ToolChoiceType.Tool)
        {
            name = Str(value, "name") ?? throw Invalid("tool_choice.name: Field required.", "tool_choice");
            if (tools.All(t => t.Name != name))
            {
                throw Invalid($"tool_choice.name: '{name}' is not one of the tools in 'tools'.", "tool_choice");
            }
        }

        if (mode is ToolChoiceType.Any or ToolChoiceType.Tool && tools.Count == 0)
        {
            throw Invalid("tool_choice: a tool is required, but 'tools' has none.", "tool_choice");
        }

        return new AnthropicToolChoice(mode, name, disableParallel);
    }

    private static bool? ReadThinking(JsonElement? thinking) => thinking switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.Object } t => Type(t) switch
        {
            // adaptive: the model decides; Qwen has no middle ground, so thinking is allowed (on).
            "enabled" or "adaptive" => true,
            "disabled" => false,
            var other => throw Invalid($"thinking.type: '{other}' is not one of enabled, adaptive, disabled.", "thinking"),
        },
        _ => throw Invalid("thinking: must be an object with a type.", "thinking"),
    };

    private static ApiException Invalid(string message, string param) => ApiException.BadRequest(message, param);

    private static string? Type(JsonElement e) => e.ValueKind == JsonValueKind.Object ? Str(e, "type") : null;

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
