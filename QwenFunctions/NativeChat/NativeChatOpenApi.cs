using System.Text.Json.Serialization;
using QwenFunctions.Docs;
using QwenFunctions.Http;
using QwenFunctions.OpenAI;
using static QwenFunctions.OpenAI.ChatCompletionsOpenApi;

namespace QwenFunctions.NativeChat;

/// <summary>What NativeChatFormat (and the t2i answer) write by hand, as types for the OpenAPI document; WireContractTests holds real answers to them.</summary>
[OpenApiJsonOptions(typeof(ApiJson), nameof(ApiJson.Options))]
public static class NativeChatOpenApi
{
    public const string StreamExample =
        "data: {\"id\":\"9f8f…\",\"object\":\"chat.completion.chunk\",\"created\":1771318618,\"model\":\"qwen3-max\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Paris.\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n" +
        "data: {\"id\":\"9f8f…\",\"object\":\"chat.completion.chunk\",\"created\":1771318618,\"model\":\"qwen3-max\",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"input_tokens\":20,\"output_tokens\":8,\"total_tokens\":28},\"response_id\":\"9f8f…\",\"chatId\":\"30ae…\",\"parentId\":\"9f8f…\"}\n\n" +
        "data: [DONE]\n\n";

    /// <summary>The seed's answer: a chat.completion with the upstream answer id, upstream usage names, chatId and parentId.</summary>
    /// <param name="Id">The upstream answer id.</param>
    /// <param name="Object">chat.completion</param>
    /// <param name="ChatId">Send back to continue the conversation.</param>
    /// <param name="ParentId">Send back with chatId.</param>
    /// <param name="SystemFingerprint">Always null (the t2i answer leaves it out).</param>
    public sealed record NativeChatCompletion(
        string Id, string Object, long Created, string Model, IReadOnlyList<ChatCompletionChoice> Choices, NativeChatUsage Usage, string ResponseId,
        [property: JsonPropertyName("chatId")] string ChatId, [property: JsonPropertyName("parentId")] string ParentId, string? SystemFingerprint = null);

    /// <summary>t2t answers count input/output tokens as upstream reports them; t2i answers report zero prompt/completion tokens.</summary>
    public sealed record NativeChatUsage(int TotalTokens, int? InputTokens = null, int? OutputTokens = null, int? PromptTokens = null, int? CompletionTokens = null);

    /// <summary>One streamed event; the chunk with the finish reason also carries usage, response_id, chatId and parentId.</summary>
    public sealed record NativeChatChunk(
        string Id, string Object, long Created, string Model, string? SystemFingerprint, IReadOnlyList<ChatCompletionChunkChoice> Choices,
        NativeChatUsage? Usage = null, string? ResponseId = null, [property: JsonPropertyName("chatId")] string? ChatId = null, [property: JsonPropertyName("parentId")] string? ParentId = null);
}
