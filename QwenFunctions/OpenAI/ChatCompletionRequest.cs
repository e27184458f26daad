using System.Text.Json;
using System.Text.Json.Serialization;

namespace QwenFunctions.OpenAI;

/// <summary>The OpenAI chat-completions request. Unknown fields are accepted and ignored.</summary>
public sealed class ChatCompletionRequest
{
    public string? Model { get; set; }

    public List<ChatCompletionMessage>? Messages { get; set; }

    public bool? Stream { get; set; }

    public StreamOptions? StreamOptions { get; set; }

    public double? Temperature { get; set; }

    public int? N { get; set; }

    public int? MaxTokens { get; set; }

    public int? MaxCompletionTokens { get; set; }

    public JsonElement? Tools { get; set; }

    public JsonElement? ToolChoice { get; set; }

    public bool? ParallelToolCalls { get; set; }

    /// <summary>Legacy function calling.</summary>
    public JsonElement? Functions { get; set; }

    public JsonElement? FunctionCall { get; set; }

    public JsonElement? ResponseFormat { get; set; }

    public JsonElement? Stop { get; set; }

    /// <summary>Qwen/vLLM convention: explicit thinking switch; wins over the model name and reasoning_effort.</summary>
    public bool? EnableThinking { get; set; }

    /// <summary>none/minimal: thinking off; low/medium/high: thinking on.</summary>
    public string? ReasoningEffort { get; set; }

    /// <summary>Seed extension: continue an upstream conversation (only the last user message is sent).</summary>
    [JsonPropertyName("chatId")]
    public string? ChatId { get; set; }

    /// <summary>Seed extension: the previous answer's id in <see cref="ChatId"/>.</summary>
    [JsonPropertyName("parentId")]
    public string? ParentId { get; set; }
}

public sealed class ChatCompletionMessage
{
    public string? Role { get; set; }

    /// <summary>A string, an array of content parts, or null.</summary>
    public JsonElement? Content { get; set; }

    public string? Name { get; set; }

    /// <summary>An assistant message's calls: <c>[{id, type:"function", function:{name, arguments}}]</c>.</summary>
    public JsonElement? ToolCalls { get; set; }

    /// <summary>A tool message: the call it answers.</summary>
    public string? ToolCallId { get; set; }
}

public sealed class StreamOptions
{
    public bool? IncludeUsage { get; set; }
}
