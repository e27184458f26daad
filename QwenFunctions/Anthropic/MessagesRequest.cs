using System.Text.Json;

namespace QwenFunctions.Anthropic;

/// <summary>
/// The body of <c>POST /v1/messages</c> (and of <c>count_tokens</c>, which has no max_tokens or stream). Block-typed
/// fields stay <see cref="JsonElement"/> so <see cref="MessagesRequestReader"/> can name the exact field at fault.
/// Unknown fields (container, context_management, output_config, service_tier, …) are accepted and ignored.
/// </summary>
public sealed class MessagesRequest
{
    public string? Model { get; set; }

    public int? MaxTokens { get; set; }

    /// <summary>A string or an array of text blocks.</summary>
    public JsonElement? System { get; set; }

    public List<MessageParam>? Messages { get; set; }

    public JsonElement? Tools { get; set; }

    public JsonElement? ToolChoice { get; set; }

    /// <summary><c>{type:"enabled",budget_tokens}</c>, <c>{type:"adaptive"}</c> or <c>{type:"disabled"}</c>.</summary>
    public JsonElement? Thinking { get; set; }

    public List<string?>? StopSequences { get; set; }

    public bool? Stream { get; set; }

    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public int? TopK { get; set; }

    public JsonElement? Metadata { get; set; }
}

public sealed class MessageParam
{
    public string? Role { get; set; }

    /// <summary>A string or an array of content blocks.</summary>
    public JsonElement? Content { get; set; }
}
