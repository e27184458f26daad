using System.Net;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using QwenFunctions.Docs;
using QwenFunctions.Http;
using static QwenFunctions.Docs.OpenApiCommon;
using static QwenFunctions.Docs.OpenApiSchemas;

namespace QwenFunctions.Anthropic;

/// <summary>POST /v1/messages and /v1/messages/count_tokens: Anthropic bodies, JSON or named SSE events, Anthropic errors.</summary>
public sealed class MessagesOpenApi : IOpenApiContributor
{
    private const string Tag = "Anthropic";

    private const string StreamExample =
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_…\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"qwen3-max\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":1,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0}}}\n\n" +
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n" +
        "event: ping\ndata: {\"type\":\"ping\"}\n\n" +
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Paris.\"}}\n\n" +
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"input_tokens\":14,\"output_tokens\":3,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0}}\n\n" +
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

    public void Describe(OpenApiPaths paths, OpenApiComponents components)
    {
        var request = components.Define("AnthropicMessageRequest", Request());
        var message = components.Define("AnthropicMessage", Message());

        paths.Add(HttpMethod.Post, Routes.Messages, Operation("createMessage", Tag, "Create a message (Anthropic Messages API)",
                "Anthropic SDKs and Claude Code use base URL `…/api`. The key may come as `x-api-key` or `Authorization: Bearer`; " +
                "`anthropic-version` and `anthropic-beta` are accepted and ignored. Tools are prompt-emulated in Qwen's own format; " +
                "`stop_sequences` and `max_tokens` are applied to the output (max_tokens counted with an estimate).")
            .WithRequestHeader("anthropic-version", "Accepted and ignored.")
            .WithRequestHeader("anthropic-beta", "Accepted and ignored.")
            .WithJsonBody(request)
            .Responds(HttpStatusCode.OK, "`stream: false`: one message. `stream: true`: Server-Sent Events with `event:` names.", Json, message)
            .AlsoAs(HttpStatusCode.OK, EventStream, String(
                "Named Server-Sent Events: message_start, content_block_start / content_block_delta (text_delta, thinking_delta, " +
                "signature_delta, input_json_delta) / content_block_stop per block, message_delta (stop reason, cumulative usage), " +
                "message_stop; `ping` is the heartbeat. A failure after the stream started is one `event: error` " +
                $"({AnthropicErrorSchema}) and no message_stop."), JsonValue.Create(StreamExample))
            .WithHeader(HttpStatusCode.OK, "request-id", "The request id (also x-request-id).")
            .WithAnthropicErrors(HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.NotFound, HttpStatusCode.Conflict,
                HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway, HttpStatusCode.GatewayTimeout)
            .WithAnthropicError((HttpStatusCode)529, "overloaded_error: no account can serve the request now (every one is cooling down, " +
                "invalid or unconfigured, or the upstream failed on each); Retry-After says when to try again."));

        paths.Add(HttpMethod.Post, Routes.MessagesCountTokens, Operation("countMessageTokens", Tag, "Count a message's input tokens (an estimate)",
                "The same body as /v1/messages without max_tokens and stream. The count is an estimate over the one upstream message the request " +
                "folds into (about four ASCII characters or one other character per token, 1000 per image or document); no upstream call is made.")
            .WithRequestHeader("anthropic-version", "Accepted and ignored.")
            .WithJsonBody(request)
            .Responds(HttpStatusCode.OK, "The estimate.", Json, Object(
                new Dictionary<string, IOpenApiSchema> { ["input_tokens"] = Integer("Estimated input tokens.", format: "int32") },
                required: ["input_tokens"]))
            .WithAnthropicErrors(HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.TooManyRequests));
    
    }

    private static OpenApiSchema Request() => Object(
        new Dictionary<string, IOpenApiSchema>
        {
            ["model"] = String("Any Qwen model id or alias; unknown names (e.g. claude-…) get the default model."),
            ["max_tokens"] = Integer("Required on /v1/messages. Emulated: the output is cut at this many (estimated) tokens.", format: "int32"),
            ["system"] = OneOf("A string or text blocks.", String(), Array(FreeForm("{type:\"text\",text}"))),
            ["messages"] = Array(Object(
                new Dictionary<string, IOpenApiSchema>
                {
                    ["role"] = Enum(null, "user", "assistant"),
                    ["content"] = OneOf("A string or content blocks: text, image (base64 or url source), document (base64/url/text/content source), " +
                        "tool_use, tool_result (string or blocks, is_error), thinking / redacted_thinking (accepted, never sent upstream).",
                        String(), Array(FreeForm("A content block."))),
                },
                required: ["role", "content"])),
            ["tools"] = Array(FreeForm("{name, description?, input_schema}; server tools (dated types) are skipped.")),
            ["tool_choice"] = FreeForm("{type: auto|any|tool|none, name?, disable_parallel_tool_use?}."),
            ["thinking"] = FreeForm("{type: enabled, budget_tokens} or {type: adaptive}: thinking on; {type: disabled}: off."),
            ["stop_sequences"] = Array(String(), "The output ends before the first one that appears (stop_reason stop_sequence)."),
            ["stream"] = Boolean(),
        },
        required: ["model", "messages"],
        description: "Anthropic's Messages request. Unknown fields (temperature, metadata, container, …) are accepted and ignored.");

    private static OpenApiSchema Message() => Object(
        new Dictionary<string, IOpenApiSchema>
        {
            ["id"] = String("msg_…"),
            ["type"] = Constant("message"),
            ["role"] = Constant("assistant"),
            ["model"] = String("The model name the request gave."),
            ["content"] = Array(FreeForm("thinking {thinking, signature} (the signature is this app's, verifiable when it comes back), text {text}, or tool_use {id: toolu_…, name, input}.")),
            ["stop_reason"] = Enum(null, "end_turn", "tool_use", "max_tokens", "stop_sequence"),
            ["stop_sequence"] = String("The stop sequence that ended the answer.", nullable: true),
            ["usage"] = Object(new Dictionary<string, IOpenApiSchema>
            {
                ["input_tokens"] = Integer(format: "int32"),
                ["output_tokens"] = Integer(format: "int32"),
                ["cache_creation_input_tokens"] = Integer(format: "int32"),
                ["cache_read_input_tokens"] = Integer(format: "int32"),
            }),
        },
        required: ["id", "type", "role", "model", "content", "stop_reason", "stop_sequence", "usage"]);
}
