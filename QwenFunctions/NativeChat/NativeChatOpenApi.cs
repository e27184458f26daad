using System.Net;
using Microsoft.OpenApi;
using QwenFunctions.Docs;
using QwenFunctions.Chat;
using QwenFunctions.Http;
using QwenFunctions.OpenAI;
using QwenFunctions.Video;
using static QwenFunctions.Docs.OpenApiCommon;
using static QwenFunctions.Docs.OpenApiSchemas;

namespace QwenFunctions.NativeChat;

/// <summary>The seed's POST /chat: camelCase fields, chatId/parentId for continuity, ProblemDetails errors.</summary>
public sealed class NativeChatOpenApi : IOpenApiContributor
{
    private const string Tag = "Chat";

    private const string StreamExample =
        "data: {\"id\":\"9f8f…\",\"object\":\"chat.completion.chunk\",\"created\":1771318618,\"model\":\"qwen3-max\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Paris.\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n" +
        "data: {\"id\":\"9f8f…\",\"object\":\"chat.completion.chunk\",\"created\":1771318618,\"model\":\"qwen3-max\",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"input_tokens\":20,\"output_tokens\":8,\"total_tokens\":28},\"response_id\":\"9f8f…\",\"chatId\":\"30ae…\",\"parentId\":\"9f8f…\"}\n\n" +
        "data: [DONE]\n\n";

    public void Describe(OpenApiPaths paths, OpenApiComponents components)
    {
        var request = components.Define("NativeChatRequest", Object(
            new Dictionary<string, IOpenApiSchema>
            {
                ["message"] = OneOf("The prompt: text, or parts {type:\"text\",text} / {type:\"image\",image} / {type:\"file\",file}. Either this or messages.",
                    String(),
                    Array(Object(new Dictionary<string, IOpenApiSchema>
                    {
                        ["type"] = Enum(null, "text", "image", "image_url", "file"),
                        ["text"] = String(),
                        ["image"] = String("Image URL or data URL."),
                        ["file"] = String("File URL or an id from POST /files/upload (the chat then runs on the account that owns it)."),
                    }, required: ["type"]))),
                ["messages"] = Array(ChatCompletionsOpenApi.Message(components), "OpenAI-style messages, used when message is absent."),
                ["model"] = String("Model id or alias; the default model when omitted."),
                ["chatId"] = String("Continue this upstream conversation (from a previous answer)."),
                ["parentId"] = String("The previous answer's id in chatId."),
                ["stream"] = Boolean("Answer with Server-Sent Events."),
                ["chatType"] = Enum("t2t (default) answers text; t2i answers the image URLs (one per line); t2v starts a video job and answers 202.", "t2t", "t2i", "t2v"),
                ["size"] = String("t2i/t2v size: aspect ratio (16:9) or WIDTHxHEIGHT."),
                ["waitForCompletion"] = Boolean("Accepted for seed compatibility; t2v never blocks, poll the job instead."),
                ["tools"] = Array(ChatCompletionsOpenApi.Tool(components), "Function tools, as in chat completions; calls come back as tool_calls."),
                ["tool_choice"] = ChatCompletionsOpenApi.ToolChoice(components),
                ["parallel_tool_calls"] = Boolean("false: at most one call per answer."),
            }));

        var answer = components.Define("NativeChatCompletion", Object(
            new Dictionary<string, IOpenApiSchema>
            {
                ["id"] = String("The upstream answer id."),
                ["object"] = Constant("chat.completion"),
                ["created"] = Integer("Unix seconds."),
                ["model"] = String(),
                ["choices"] = Array(Object(new Dictionary<string, IOpenApiSchema>
                {
                    ["index"] = Integer(format: "int32"),
                    ["message"] = Object(new Dictionary<string, IOpenApiSchema>
                    {
                        ["role"] = Constant("assistant"),
                        ["content"] = String("The answer text (image URLs of a t2i answer on their own lines)."),
                        ["reasoning_content"] = String(),
                        ["tool_calls"] = Array(ChatCompletionsOpenApi.ToolCall(components), "The calls the answer made (finish_reason tool_calls)."),
                    }),
                    ["finish_reason"] = String(),
                })),
                ["usage"] = Object(
                    new Dictionary<string, IOpenApiSchema>
                    {
                        ["input_tokens"] = Integer(),
                        ["output_tokens"] = Integer(),
                        ["total_tokens"] = Integer(),
                        ["prompt_tokens"] = Integer(),
                        ["completion_tokens"] = Integer(),
                    },
                    description: "t2t answers count input/output tokens as upstream reports them; t2i answers report zero prompt/completion tokens."),
                ["response_id"] = String(),
                ["chatId"] = String("Send back to continue the conversation."),
                ["parentId"] = String("Send back with chatId."),
            },
            required: ["id", "object", "choices", "chatId", "parentId"]));

        paths.Add(HttpMethod.Post, Routes.Chat, Operation("chat", Tag, "Chat (the seed's native route)",
                "Continue a conversation by sending back the chatId and parentId of the previous answer; it then stays on the same account.")
            .WithJsonBody(request)
            .Responds(HttpStatusCode.OK, "The answer; with `stream: true`, Server-Sent Events whose last chunk carries usage, chatId and parentId.", Json, answer)
            .StreamsEvents(HttpStatusCode.OK, "chat.completion.chunk", StreamExample)
            .Responds(HttpStatusCode.Accepted, "chatType t2v: the video job started; poll Location (GET /videos/{id}).", Json, Ref(VideoOpenApi.JobSchema))
            .WithHeader(HttpStatusCode.Accepted, "Location", "The job's status URL.")
            .WithHeader(HttpStatusCode.Accepted, "Retry-After", "Seconds until the first useful poll.")
            .WithProblems(HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized)
            .WithProblem(HttpStatusCode.NotFound, ChatErrorCodes.ConversationNotFound)
            .WithProblem(HttpStatusCode.Conflict, ChatErrorCodes.ConversationConflicts)
            .WithProblems(HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.TooManyRequests,
                HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout));
    }
}
