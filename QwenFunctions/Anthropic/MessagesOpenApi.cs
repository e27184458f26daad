using System.Text.Json;

namespace QwenFunctions.Anthropic;

/// <summary>What MessageJson writes by hand, as types for the OpenAPI document; WireContractTests holds real answers to them.</summary>
public static class MessagesOpenApi
{
    public const string Description =
        "Anthropic SDKs and Claude Code use base URL `…/api`. The key may come as `x-api-key` or `Authorization: Bearer`; " +
        "`anthropic-version` and `anthropic-beta` are accepted and ignored. Tools are prompt-emulated in Qwen's own format; " +
        "`stop_sequences` and `max_tokens` are applied to the output (max_tokens counted with an estimate).";

    public const string Stream =
        "Named Server-Sent Events: message_start, content_block_start / content_block_delta (text_delta, thinking_delta, " +
        "signature_delta, input_json_delta) / content_block_stop per block, message_delta (stop reason, cumulative usage), " +
        "message_stop; `ping` is the heartbeat. A failure after the stream started is one `event: error` (AnthropicErrorEnvelope) and no message_stop.";

    public const string CountTokens =
        "The same body as /v1/messages without max_tokens and stream. The count is an estimate over the one upstream message the request " +
        "folds into (about four ASCII characters or one other character per token, 1000 per image or document); no upstream call is made.";

    public const string Overloaded = "overloaded_error: no account can serve the request now (every one is cooling down, " +
        "invalid or unconfigured, or the upstream failed on each); Retry-After says when to try again.";

    public const string StreamExample =
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_…\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"qwen3-max\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":1,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0}}}\n\n" +
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n" +
        "event: ping\ndata: {\"type\":\"ping\"}\n\n" +
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Paris.\"}}\n\n" +
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"input_tokens\":14,\"output_tokens\":3,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0}}\n\n" +
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

    /// <summary>One whole answer (`stream: false`).</summary>
    /// <param name="Id">msg_…</param>
    /// <param name="Type">message</param>
    /// <param name="Role">assistant</param>
    /// <param name="Model">The model name the request gave.</param>
    /// <param name="Content">thinking {thinking, signature} (the signature is this app's, verifiable when it comes back), text {text}, or tool_use {id: toolu_…, name, input}.</param>
    /// <param name="StopReason">end_turn, tool_use, max_tokens or stop_sequence.</param>
    /// <param name="StopSequence">The stop sequence that ended the answer.</param>
    public sealed record AnthropicMessage(
        string Id, string Type, string Role, string Model, IReadOnlyList<JsonElement> Content, string StopReason, string? StopSequence, AnthropicUsage Usage);

    public sealed record AnthropicUsage(int InputTokens, int OutputTokens, int CacheCreationInputTokens, int CacheReadInputTokens);
}
