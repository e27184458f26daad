using System.Net;
using Microsoft.OpenApi;
using QwenFunctions.Docs;
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

        foreach (var (prefix, suffix) in new[] { ("/v1", ""), ("", "Unversioned") })
        {
            paths.Add(HttpMethod.Get, prefix + "/responses/{id}", Operation("getResponse" + suffix, Tag, "A stored response")
                .WithPathParameter("id", "The response id (resp_…).")
                .Responds(HttpStatusCode.OK, "The response object as it completed. Responses made by another API key are not found.", Json, response)
                .WithOpenAIErrors(HttpStatusCode.Unauthorized, HttpStatusCode.NotFound));
            paths.Add(HttpMethod.Delete, prefix + "/responses/{id}", Operation("deleteResponse" + suffix, Tag, "Delete a stored response")
                .WithPathParameter("id", "The response id (resp_…).")
                .Responds(HttpStatusCode.OK, "Deleted; it can no longer be read or continued.", Json, deleted)
                .WithOpenAIErrors(HttpStatusCode.Unauthorized, HttpStatusCode.NotFound));
            paths.Add(HttpMethod.Get, prefix + "/responses/{id}/input_items", Operation("listResponseInputItems" + suffix, Tag, "The input items of a stored response")
                .WithPathParameter("id", "The response id (resp_…).")
                .WithQueryParameter("after", String(), "List the items after this item id.")
                .WithQueryParameter("limit", Integer(format: "int32"), "1–100, default 20.")
                .WithQueryParameter("order", Enum(null, "asc", "desc"), "Default desc (newest first).")
                .Responds(HttpStatusCode.OK, "A page of input items.", Json, inputItems)
                .WithOpenAIErrors(HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.NotFound));
        }
    }

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
