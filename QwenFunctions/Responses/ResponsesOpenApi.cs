using System.Net;
using Microsoft.OpenApi;
using QwenFunctions.Docs;
using QwenFunctions.Http;
using static QwenFunctions.Docs.OpenApiCommon;
using static QwenFunctions.Docs.OpenApiSchemas;

namespace QwenFunctions.Responses;

/// <summary>The Responses API under /v1/responses and /responses; OpenAI bodies and errors.</summary>
public sealed class ResponsesOpenApi : IOpenApiContributor
{
    private const string Tag = "OpenAI Responses";

    public void Describe(OpenApiPaths paths, OpenApiComponents components)
    {
        var response = components.Define("Response", ResponseSchema());
        var inputItems = components.Define("ResponseInputItemList", Object(
            new Dictionary<string, IOpenApiSchema>
            {
                ["object"] = Constant("list"),
                ["data"] = Array(FreeForm("An input item with its id: message, function_call, function_call_output, custom_tool_call, custom_tool_call_output.")),
                ["first_id"] = String(nullable: true),
                ["last_id"] = String(nullable: true),
                ["has_more"] = Boolean(),
            },
            required: ["object", "data", "has_more"]));
        var deleted = components.Define("ResponseDeleted", Object(
            new Dictionary<string, IOpenApiSchema>
            {
                ["id"] = String(),
                ["object"] = Constant("response.deleted"),
                ["deleted"] = Boolean(),
            },
            required: ["id", "object", "deleted"]));

        var request = components.Define("CreateResponseRequest", RequestSchema());
        var routeSets = new[]
        {
            (Routes.ResponsesV1, Routes.ResponseV1, Routes.ResponseInputItemsV1, ""),
            (Routes.Responses, Routes.Response, Routes.ResponseInputItems, "Unversioned"),
        };
        foreach (var (create, byId, inputItemsRoute, suffix) in routeSets)
        {
            paths.Add(HttpMethod.Post, create, Operation("createResponse" + suffix, Tag, "Create a response (OpenAI Responses API)",
                    "Tools are described to the model in Qwen's own tool-call format and its calls parsed back; tool types the app cannot run " +
                    "(web_search, mcp, …) are left out. JSON text formats are asked for in words (best effort). With `store` (default true) the response " +
                    "is kept for GET and `previous_response_id`, which continues the same upstream chat with only the new input.")
                .WithJsonBody(request)
                .Responds(HttpStatusCode.OK, "`stream: false`: the response object. `stream: true`: Server-Sent Events `event: response.*` with `data: {type, sequence_number, …}`.", Json, response)
                .AlsoAs(HttpStatusCode.OK, EventStream, String(
                    "Server-Sent Events in the Responses order: response.created, response.in_progress, then per output item output_item.added, its deltas " +
                    "(reasoning_summary_text, output_text, function_call_arguments, custom_tool_call_input) and output_item.done, then response.completed " +
                    "with the whole output and usage. A failure after the stream started is an `error` event followed by response.failed, never response.completed. " +
                    "Lines starting with `:` are heartbeats. No [DONE]."))
                .WithOpenAIErrors(HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.NotFound, HttpStatusCode.Conflict,
                    HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable,
                    HttpStatusCode.GatewayTimeout));
            paths.Add(HttpMethod.Get, byId, Operation("getResponse" + suffix, Tag, "A stored response")
                .WithPathParameter("id", "The response id (resp_…).")
                .Responds(HttpStatusCode.OK, "The response object as it completed. Responses made by another API key are not found.", Json, response)
                .WithOpenAIErrors(HttpStatusCode.Unauthorized, HttpStatusCode.NotFound));
            paths.Add(HttpMethod.Delete, byId, Operation("deleteResponse" + suffix, Tag, "Delete a stored response")
                .WithPathParameter("id", "The response id (resp_…).")
                .Responds(HttpStatusCode.OK, "Deleted; it can no longer be read or continued.", Json, deleted)
                .WithOpenAIErrors(HttpStatusCode.Unauthorized, HttpStatusCode.NotFound));
            paths.Add(HttpMethod.Get, inputItemsRoute, Operation("listResponseInputItems" + suffix, Tag, "The input items of a stored response")
                .WithPathParameter("id", "The response id (resp_…).")
                .WithQueryParameter("after", String(), "List the items after this item id.")
                .WithQueryParameter("limit", Integer(format: "int32"), "1–100, default 20.")
                .WithQueryParameter("order", Enum(null, "asc", "desc"), "Default desc (newest first).")
                .Responds(HttpStatusCode.OK, "A page of input items.", Json, inputItems)
                .WithOpenAIErrors(HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.NotFound));
        }
    }

    private static OpenApiSchema RequestSchema() => Object(
        new Dictionary<string, IOpenApiSchema>
        {
            ["model"] = String("A model id from GET /v1/models or an alias; the default model when omitted."),
            ["input"] = OneOf("A user message, or input items: message (input_text, input_image, input_file parts), function_call, function_call_output, " +
                "custom_tool_call, custom_tool_call_output; reasoning and unknown items are ignored.", String(), Array(FreeForm())),
            ["instructions"] = String("The system message of this turn (not carried over by previous_response_id)."),
            ["tools"] = Array(FreeForm("{type:function,name,description,parameters} or {type:custom,name,description,format}; other types are ignored.")),
            ["tool_choice"] = OneOf("none, auto, required, {type:function|custom,name} or {type:allowed_tools,mode,tools}.", String(), FreeForm()),
            ["parallel_tool_calls"] = Boolean(),
            ["previous_response_id"] = String("Continue the conversation of a stored response (of the same API key)."),
            ["store"] = Boolean("Keep the response for GET and previous_response_id (default true)."),
            ["stream"] = Boolean("Answer with Server-Sent Events."),
            ["reasoning"] = FreeForm("{effort, summary}: effort none turns thinking off, any other effort (or a summary) on."),
            ["text"] = FreeForm("{format:{type:text|json_object|json_schema,…}}: JSON formats are instructed, best effort."),
            ["temperature"] = Number("Validated (0–2) but not applied upstream.", "0", "2"),
            ["metadata"] = FreeForm("Echoed."),
        },
        required: ["input"]);

    private static OpenApiSchema ResponseSchema() => Object(
        new Dictionary<string, IOpenApiSchema>
        {
            ["id"] = String("resp_…"),
            ["object"] = Constant("response"),
            ["created_at"] = Integer("Unix seconds."),
            ["status"] = Enum(null, "completed", "failed", "in_progress", "incomplete"),
            ["model"] = String("The model name as requested."),
            ["output"] = Array(FreeForm("An output item: reasoning (summary), message (output_text parts), function_call (arguments as JSON text) or custom_tool_call (raw input).")),
            ["usage"] = FreeForm("input_tokens, input_tokens_details.cached_tokens, output_tokens, output_tokens_details.reasoning_tokens, total_tokens."),
            ["error"] = FreeForm("{code, message} when status is failed, else null."),
            ["previous_response_id"] = String(nullable: true),
            ["instructions"] = String(nullable: true),
            ["tools"] = Array(FreeForm(), "As sent."),
            ["tool_choice"] = FreeForm("As sent."),
            ["parallel_tool_calls"] = Boolean(),
            ["store"] = Boolean(),
        },
        required: ["id", "object", "created_at", "status", "model", "output"]);
}
