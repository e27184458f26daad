using System.Net;
using Microsoft.OpenApi;
using QwenFunctions.Chat;
using QwenFunctions.Docs;
using QwenFunctions.Http;
using static QwenFunctions.Docs.OpenApiCommon;
using static QwenFunctions.Docs.OpenApiSchemas;

namespace QwenFunctions.OpenAI;

/// <summary>POST /v1/chat/completions and its seed alias /chat/completions: OpenAI bodies, JSON or SSE, OpenAI errors.</summary>
public sealed class ChatCompletionsOpenApi : IOpenApiContributor
{
    private const string Tag = "OpenAI";

    private const string StreamExample =
        "data: {\"id\":\"chatcmpl-…\",\"object\":\"chat.completion.chunk\",\"created\":1771318618,\"model\":\"qwen3-max\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n" +
        ": keep-alive\n\n" +
        "data: {\"id\":\"chatcmpl-…\",\"object\":\"chat.completion.chunk\",\"created\":1771318618,\"model\":\"qwen3-max\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Paris.\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n" +
        "data: {\"id\":\"chatcmpl-…\",\"object\":\"chat.completion.chunk\",\"created\":1771318618,\"model\":\"qwen3-max\",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\n" +
        "data: [DONE]\n\n";

    public void Describe(OpenApiPaths paths, OpenApiComponents components)
    {
        var request = components.Define("ChatCompletionRequest", Request(components));
        var completion = components.Define("ChatCompletion", Completion(components));
        components.Define("ChatCompletionChunk", Chunk(components));

        paths.Add(HttpMethod.Post, Routes.ChatCompletionsV1, Operation(components, request, completion, "createChatCompletion",
            "Chat completion (OpenAI-compatible)"));
        paths.Add(HttpMethod.Post, Routes.ChatCompletions, Operation(components, request, completion, "createChatCompletionUnversioned",
            "Chat completion, without /v1 (the seed's alias)"));
    }

    private static OpenApiOperation Operation(OpenApiComponents components, IOpenApiSchema request, IOpenApiSchema completion, string id, string summary) =>
        OpenApiCommon.Operation(id, Tag, summary,
                "Only the last user turn is sent upstream; earlier turns are folded into it unless chatId/parentId continue an upstream conversation. " +
                "Unknown parameters are accepted and ignored, and named in the x-qwen-ignored-params response header.")
            .WithJsonBody(request)
            .Responds(HttpStatusCode.OK, "`stream: false`: one chat.completion. `stream: true`: Server-Sent Events of chat.completion.chunk.", Json, completion)
            .StreamsEvents(HttpStatusCode.OK, "ChatCompletionChunk", StreamExample)
            .WithHeader(HttpStatusCode.OK, "x-qwen-ignored-params", "Request parameters that were accepted but have no effect.")
            .WithOpenAIErrors(HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)
            .WithOpenAIError(HttpStatusCode.NotFound, ChatErrorCodes.ConversationNotFound)
            .WithOpenAIError(HttpStatusCode.Conflict, ChatErrorCodes.ConversationConflicts)
            .WithOpenAIErrors(HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.TooManyRequests,
                HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout);

    /// <summary>The OpenAI message, shared with the native POST /chat (its `messages` field).</summary>
    public static IOpenApiSchema Message(OpenApiComponents components) => components.DefineShared("ChatMessage", () => Object(
        new Dictionary<string, IOpenApiSchema>
        {
            ["role"] = Enum("`developer` is treated as `system`.", "system", "developer", "user", "assistant", "tool"),
            ["content"] = OneOf("Text, or content parts (text, image_url, file).",
                String(),
                Array(Object(
                    new Dictionary<string, IOpenApiSchema>
                    {
                        ["type"] = Enum(null, "text", "image_url", "file"),
                        ["text"] = String(),
                        ["image_url"] = Object(new Dictionary<string, IOpenApiSchema>
                        {
                            ["url"] = String("https URL or data:image/…;base64,… URL."),
                            ["detail"] = Enum(null, "auto", "low", "high"),
                        }, required: ["url"]),
                        ["file"] = Object(new Dictionary<string, IOpenApiSchema>
                        {
                            ["file_id"] = String("An id from POST /v1/files or /files/upload; the chat then runs on the account that owns it."),
                            ["file_data"] = String("data: URL."),
                            ["url"] = String(),
                        }),
                    },
                    required: ["type"]))),
            ["name"] = String(),
            ["tool_calls"] = Array(ToolCall(components), "Assistant messages: the calls it made; folded into the prompt as <tool_call> blocks."),
            ["tool_call_id"] = String("Tool messages: the call this result answers (its function name is taken from that call)."),
        },
        required: ["role"]));

    /// <summary>A function tool (shared with the native POST /chat).</summary>
    public static IOpenApiSchema Tool(OpenApiComponents components) => components.DefineShared("ChatTool", () => Object(
        new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = Enum("Other (hosted) tool types are left out of the prompt, not refused.", "function"),
            ["function"] = Object(new Dictionary<string, IOpenApiSchema>
            {
                ["name"] = String(),
                ["description"] = String(),
                ["parameters"] = FreeForm("JSON schema of the arguments."),
            }, required: ["name"]),
        },
        required: ["type"]));

    /// <summary>tool_choice (shared with the native POST /chat).</summary>
    public static IOpenApiSchema ToolChoice(OpenApiComponents components) => components.DefineShared("ChatToolChoice", () => OneOf(
        "auto (default), none (no tools sent upstream), required, or a named function. Forced choices are instructed in the prompt (best effort): a whole answer without a call is asked for once more, a stream without one ends with the in-band error tool_call_missing.",
        Enum(null, "auto", "none", "required"),
        Object(new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = Constant("function"),
            ["function"] = Object(new Dictionary<string, IOpenApiSchema> { ["name"] = String() }, required: ["name"]),
        }, required: ["function"])));

    /// <summary>A call in an answer or a replayed history (shared with the native POST /chat).</summary>
    public static IOpenApiSchema ToolCall(OpenApiComponents components) => components.DefineShared("ChatToolCall", () => Object(
        new Dictionary<string, IOpenApiSchema>
        {
            ["id"] = String("call_ + 24 alphanumerics."),
            ["type"] = Constant("function"),
            ["function"] = Object(new Dictionary<string, IOpenApiSchema>
            {
                ["name"] = String(),
                ["arguments"] = String("JSON text of the arguments object."),
            }, required: ["name", "arguments"]),
        },
        required: ["id", "type", "function"]));

    private static IOpenApiSchema ToolCallDelta(OpenApiComponents components) => components.DefineShared("ChatToolCallDelta", () => Object(
        new Dictionary<string, IOpenApiSchema>
        {
            ["index"] = Integer("0, 1, … per answer (parallel calls), sent one call after another.", format: "int32"),
            ["id"] = String("In the first delta of a call."),
            ["type"] = Constant("function"),
            ["function"] = Object(new Dictionary<string, IOpenApiSchema>
            {
                ["name"] = String("In the first delta of a call."),
                ["arguments"] = String("A fragment; the fragments of one index concatenate to the arguments JSON."),
            }),
        },
        required: ["index"]));

    private static OpenApiSchema Request(OpenApiComponents components) => Object(
        new Dictionary<string, IOpenApiSchema>
        {
            ["model"] = String("A model id from GET /v1/models or an alias; the default model when omitted."),
            ["messages"] = Array(Message(components), minItems: 1),
            ["stream"] = Boolean("Answer with Server-Sent Events."),
            ["stream_options"] = Object(new Dictionary<string, IOpenApiSchema>
            {
                ["include_usage"] = Boolean("Send one last chunk with empty choices and the usage before [DONE]."),
            }),
            ["temperature"] = Number("Validated (0–2) but not applied upstream.", "0", "2"),
            ["n"] = Integer("Only 1 is supported.", format: "int32"),
            ["max_tokens"] = Integer(format: "int32"),
            ["max_completion_tokens"] = Integer(format: "int32"),
            ["tools"] = Array(Tool(components), "Described to the model in Qwen's tool-calling format; calls come back as tool_calls."),
            ["tool_choice"] = ToolChoice(components),
            ["parallel_tool_calls"] = Boolean("false: at most one call per answer (the first is kept)."),
            ["functions"] = Array(FreeForm(), "Legacy function calling."),
            ["function_call"] = OneOf("Legacy function calling.", String(), FreeForm()),
            ["response_format"] = FreeForm(),
            ["stop"] = OneOf(null, String(), Array(String())),
            ["enable_thinking"] = Boolean("Qwen/vLLM convention: thinking on or off; wins over the model name and reasoning_effort."),
            ["reasoning_effort"] = Enum("none/minimal: thinking off; low/medium/high: thinking on.", "none", "minimal", "low", "medium", "high"),
            ["chatId"] = String("Seed extension: continue this upstream conversation."),
            ["parentId"] = String("Seed extension: the previous answer's id in chatId."),
        },
        required: ["messages"]);

    private static OpenApiSchema Completion(OpenApiComponents components) => Object(
        new Dictionary<string, IOpenApiSchema>
        {
            ["id"] = String(),
            ["object"] = Constant("chat.completion"),
            ["created"] = Integer("Unix seconds."),
            ["model"] = String(),
            ["system_fingerprint"] = String(nullable: true),
            ["choices"] = Array(Object(
                new Dictionary<string, IOpenApiSchema>
                {
                    ["index"] = Integer(format: "int32"),
                    ["message"] = Object(new Dictionary<string, IOpenApiSchema>
                    {
                        ["role"] = Constant("assistant"),
                        ["content"] = String(nullable: true),
                        ["reasoning_content"] = String("The model's reasoning, when Proxy:ReasoningOutput is ReasoningContent."),
                        ["refusal"] = String(nullable: true),
                        ["tool_calls"] = Array(ToolCall(components), "The calls the answer made (finish_reason tool_calls)."),
                    }),
                    ["logprobs"] = FreeForm(),
                    ["finish_reason"] = FinishReason(),
                })),
            ["usage"] = Usage(components),
            ["response_id"] = String("Seed extension: the upstream answer id."),
            ["chatId"] = String("Seed extension: send back to continue the conversation."),
            ["parentId"] = String("Seed extension: send back with chatId."),
        },
        required: ["id", "object", "created", "model", "choices"]);

    private static OpenApiSchema Chunk(OpenApiComponents components) => Object(
        new Dictionary<string, IOpenApiSchema>
        {
            ["id"] = String("The same in every chunk of one answer."),
            ["object"] = Constant("chat.completion.chunk"),
            ["created"] = Integer(),
            ["model"] = String(),
            ["system_fingerprint"] = String(nullable: true),
            ["choices"] = Array(Object(
                new Dictionary<string, IOpenApiSchema>
                {
                    ["index"] = Integer(format: "int32"),
                    ["delta"] = Object(new Dictionary<string, IOpenApiSchema>
                    {
                        ["role"] = Constant("assistant"),
                        ["content"] = String(),
                        ["reasoning_content"] = String(),
                        ["tool_calls"] = Array(ToolCallDelta(components)),
                    }),
                    ["logprobs"] = FreeForm(),
                    ["finish_reason"] = FinishReason(),
                }),
                "Empty in the usage chunk (stream_options.include_usage)."),
            ["usage"] = Usage(components),
        },
        required: ["id", "object", "created", "model", "choices"]);

    private static OpenApiSchema FinishReason() =>
        new() { Type = JsonSchemaType.String | JsonSchemaType.Null, Enum = ["stop", "length", "tool_calls", "content_filter"] };

    private static IOpenApiSchema Usage(OpenApiComponents components) => components.DefineShared("ChatCompletionUsage", () => Object(
        new Dictionary<string, IOpenApiSchema>
        {
            ["prompt_tokens"] = Integer(),
            ["completion_tokens"] = Integer(),
            ["total_tokens"] = Integer(),
            ["prompt_tokens_details"] = Object(new Dictionary<string, IOpenApiSchema> { ["cached_tokens"] = Integer() }),
            ["completion_tokens_details"] = Object(new Dictionary<string, IOpenApiSchema> { ["reasoning_tokens"] = Integer() }),
        },
        nullable: true));
}
