using System.Text.Json.Serialization;
using System.Text.Json;
using QwenFunctions.Docs;
using QwenFunctions.Http;

namespace QwenFunctions.OpenAI;

/// <summary>
/// What ChatCompletionFormat writes by hand (a Utf8JsonWriter per event), as types for the OpenAPI document;
/// WireContractTests holds real answers and chunks to them, so the two cannot drift apart.
/// </summary>
[OpenApiJsonOptions(typeof(ApiJson), nameof(ApiJson.Options))]
public static class ChatCompletionsOpenApi
{
    public const string Description =
        "Only the last user turn is sent upstream; earlier turns are folded into it unless chatId/parentId continue an upstream conversation. " +
        "Unknown parameters are accepted and ignored, and named in the x-qwen-ignored-params response header.";

    public const string StreamExample =
        "data: {\"id\":\"chatcmpl-…\",\"object\":\"chat.completion.chunk\",\"created\":1771318618,\"model\":\"qwen3-max\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n" +
        ": keep-alive\n\n" +
        "data: {\"id\":\"chatcmpl-…\",\"object\":\"chat.completion.chunk\",\"created\":1771318618,\"model\":\"qwen3-max\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Paris.\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n" +
        "data: {\"id\":\"chatcmpl-…\",\"object\":\"chat.completion.chunk\",\"created\":1771318618,\"model\":\"qwen3-max\",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\n" +
        "data: [DONE]\n\n";

    /// <summary>A whole answer (`stream: false`).</summary>
    /// <param name="Object">chat.completion</param>
    /// <param name="ResponseId">Seed extension: the upstream answer id.</param>
    /// <param name="ChatId">Seed extension: send back to continue the conversation.</param>
    /// <param name="ParentId">Seed extension: send back with chatId.</param>
    public sealed record ChatCompletion(
        string Id, string Object, long Created, string Model, string? SystemFingerprint, IReadOnlyList<ChatCompletionChoice> Choices,
        ChatCompletionUsage Usage, string ResponseId, [property: JsonPropertyName("chatId")] string ChatId, [property: JsonPropertyName("parentId")] string ParentId);

    /// <param name="FinishReason">stop, length, tool_calls or content_filter.</param>
    /// <param name="Logprobs">Always null (the seed's t2i answer leaves it out).</param>
    public sealed record ChatCompletionChoice(int Index, ChatCompletionAnswer Message, string FinishReason, JsonElement? Logprobs = null);

    /// <param name="Content">The answer text (image URLs of a t2i answer on their own lines); null when the answer is only tool calls.</param>
    /// <param name="ReasoningContent">The model's reasoning, when Proxy:ReasoningOutput is ReasoningContent.</param>
    /// <param name="Refusal">Always null (the seed's t2i answer leaves it out).</param>
    /// <param name="ToolCalls">The calls the answer made (finish_reason tool_calls).</param>
    public sealed record ChatCompletionAnswer(
        string Role, string? Content, string? ReasoningContent = null, string? Refusal = null, IReadOnlyList<ChatToolCall>? ToolCalls = null);

    /// <param name="Id">call_ and 24 alphanumerics.</param>
    /// <param name="Type">function</param>
    public sealed record ChatToolCall(string Id, string Type, ChatToolCallFunction Function);

    /// <param name="Arguments">JSON text of the arguments object.</param>
    public sealed record ChatToolCallFunction(string Name, string Arguments);

    /// <summary>One streamed event (`stream: true`); the id, created and model are the same in every chunk of an answer.</summary>
    /// <param name="Object">chat.completion.chunk</param>
    /// <param name="Choices">Empty in the usage chunk (stream_options.include_usage).</param>
    /// <param name="Usage">With stream_options.include_usage: null in every chunk but the last, which has no choices.</param>
    public sealed record ChatCompletionChunk(
        string Id, string Object, long Created, string Model, string? SystemFingerprint, IReadOnlyList<ChatCompletionChunkChoice> Choices, ChatCompletionUsage? Usage = null);

    /// <param name="Logprobs">Always null.</param>
    /// <param name="FinishReason">Null until the last chunk of the answer.</param>
    public sealed record ChatCompletionChunkChoice(int Index, ChatCompletionDelta Delta, JsonElement? Logprobs, string? FinishReason);

    /// <summary>What a chunk adds: the role (first chunk), a piece of content or reasoning, or a tool-call fragment.</summary>
    public sealed record ChatCompletionDelta(string? Role = null, string? Content = null, string? ReasoningContent = null, IReadOnlyList<ChatToolCallDelta>? ToolCalls = null);

    /// <param name="Index">0, 1, … per answer (parallel calls), sent one call after another.</param>
    /// <param name="Id">In the first delta of a call, with type function.</param>
    public sealed record ChatToolCallDelta(int Index, ChatToolCallFunctionDelta Function, string? Id = null, string? Type = null);

    /// <param name="Arguments">A fragment; the fragments of one index concatenate to the arguments JSON.</param>
    /// <param name="Name">In the first delta of a call.</param>
    public sealed record ChatToolCallFunctionDelta(string Arguments, string? Name = null);

    public sealed record ChatCompletionUsage(int PromptTokens, int CompletionTokens, int TotalTokens, ChatPromptTokensDetails PromptTokensDetails, ChatCompletionTokensDetails CompletionTokensDetails);

    public sealed record ChatPromptTokensDetails(int CachedTokens);

    public sealed record ChatCompletionTokensDetails(int ReasoningTokens);
}
