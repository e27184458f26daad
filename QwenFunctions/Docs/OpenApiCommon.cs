using System.Net;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using QwenFunctions.Http;
using static QwenFunctions.Docs.OpenApiSchemas;

namespace QwenFunctions.Docs;

/// <summary>
/// What every capability's description shares: the two error vocabularies, the API-key scheme, and
/// small builders so a contributor reads like the route table it describes.
/// </summary>
public static class OpenApiCommon
{
    public const string OpenAIErrorSchema = "OpenAIError";
    public const string ProblemDetailsSchema = "ProblemDetails";
    public const string AnthropicErrorSchema = "AnthropicError";
    public const string BearerScheme = "bearerAuth";

    public const string Json = "application/json";
    public const string ProblemJson = "application/problem+json";
    public const string EventStream = "text/event-stream";
    public const string Multipart = "multipart/form-data";

    /// <summary>Registered once by the document provider before any contributor runs.</summary>
    public static void AddSharedComponents(OpenApiComponents components)
    {
        components.Define(OpenAIErrorSchema, Object(
            new Dictionary<string, IOpenApiSchema>
            {
                ["error"] = Object(
                    new Dictionary<string, IOpenApiSchema>
                    {
                        ["message"] = String("Human-readable description."),
                        ["type"] = String("invalid_request_error, authentication_error, rate_limit_exceeded, insufficient_quota, server_error…"),
                        ["param"] = String("The request parameter at fault, or null.", nullable: true),
                        ["code"] = String("Machine-readable code (invalid_api_key, model_not_found, …), or null.", nullable: true),
                    },
                    required: ["message", "type", "param", "code"]),
            },
            required: ["error"],
            description: "OpenAI error envelope, used on /v1 routes and OpenAI alias routes (also as the final `data:` event of a failed stream)."));

        components.Define(ProblemDetailsSchema, Object(
            new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = String("URI reference identifying the problem type.", nullable: true),
                ["title"] = String("Short summary of the problem type.", nullable: true),
                ["status"] = Integer("HTTP status code.", nullable: true, format: "int32"),
                ["detail"] = String("Explanation specific to this occurrence.", nullable: true),
                ["instance"] = String("URI reference identifying this occurrence.", nullable: true),
                ["code"] = String("Machine-readable code, the same values as the OpenAI envelope's `code`."),
                ["param"] = String("The request parameter at fault, when there is one."),
                ["requestId"] = String("Also in the x-request-id header; quote it when reporting a problem."),
            },
            description: "RFC 9457 problem details, used on native routes."));

        components.Define(AnthropicErrorSchema, Object(
            new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = Constant("error"),
                ["error"] = Object(
                    new Dictionary<string, IOpenApiSchema>
                    {
                        ["type"] = Enum(null, "invalid_request_error", "authentication_error", "permission_error", "not_found_error",
                            "request_too_large", "rate_limit_error", "api_error", "timeout_error", "overloaded_error"),
                        ["message"] = String("Human-readable description."),
                    },
                    required: ["type", "message"]),
                ["request_id"] = String("Also in the request-id header."),
            },
            required: ["type", "error"],
            description: "Anthropic's error object, used on the Messages API routes and on /v1/models asked with anthropic-version (also as the `event: error` of a failed stream)."));

        components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "One of the keys in API_KEYS (Proxy__ApiKeys), sent as `Authorization: Bearer <key>`. When no key is configured the API is open.",
        };
    }

    /// <summary>Adds one operation to a route (a <see cref="Routes"/> constant), creating the path item on first use.</summary>
    public static OpenApiOperation Add(this OpenApiPaths paths, HttpMethod method, string route, OpenApiOperation operation)
    {
        var path = Routes.DocumentPath(route);
        if (!paths.TryGetValue(path, out var item))
        {
            item = new OpenApiPathItem();
            paths[path] = item;
        }

        var pathItem = (OpenApiPathItem)item;
        pathItem.Operations ??= [];
        if (!pathItem.Operations.TryAdd(method, operation))
        {
            throw new InvalidOperationException($"{method} {path} is described twice.");
        }

        return operation;
    }

    public static OpenApiOperation Operation(string operationId, string tag, string summary, string? description = null) => new()
    {
        OperationId = operationId,
        Tags = new HashSet<OpenApiTagReference> { new(tag) },
        Summary = summary,
        Description = description,
        Responses = [],
    };

    public static OpenApiOperation WithPathParameter(this OpenApiOperation operation, string name, string description)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter { Name = name, In = ParameterLocation.Path, Required = true, Description = description, Schema = String() });
        return operation;
    }

    public static OpenApiOperation WithQueryParameter(this OpenApiOperation operation, string name, IOpenApiSchema schema, string description)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter { Name = name, In = ParameterLocation.Query, Description = description, Schema = schema });
        return operation;
    }

    public static OpenApiOperation WithRequestHeader(this OpenApiOperation operation, string name, string description)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter { Name = name, In = ParameterLocation.Header, Description = description, Schema = String() });
        return operation;
    }

    /// <summary>Another content type the same body may come in (OpenAI SDKs send some bodies as multipart).</summary>
    public static OpenApiOperation AlsoAcceptsBody(this OpenApiOperation operation, string mediaType, IOpenApiSchema schema)
    {
        operation.RequestBody!.Content![mediaType] = new OpenApiMediaType { Schema = schema };
        return operation;
    }

    public static OpenApiOperation WithJsonBody(this OpenApiOperation operation, IOpenApiSchema schema, string? description = null, bool required = true)
    {
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = required,
            Description = description,
            Content = new Dictionary<string, IOpenApiMediaType> { [Json] = new OpenApiMediaType { Schema = schema } },
        };
        return operation;
    }

    public static OpenApiOperation WithMultipartBody(this OpenApiOperation operation, IOpenApiSchema schema, string? description = null)
    {
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = description,
            Content = new Dictionary<string, IOpenApiMediaType> { [Multipart] = new OpenApiMediaType { Schema = schema } },
        };
        return operation;
    }

    public static OpenApiOperation Responds(this OpenApiOperation operation, HttpStatusCode status, string description, string? mediaType = null, IOpenApiSchema? schema = null)
    {
        var response = new OpenApiResponse { Description = description };
        if (mediaType is not null)
        {
            response.Content = new Dictionary<string, IOpenApiMediaType> { [mediaType] = new OpenApiMediaType { Schema = schema ?? String() } };
        }

        operation.Responses![((int)status).ToString()] = response;
        return operation;
    }

    /// <summary>Adds a second representation to an already described response (e.g. JSON or SSE on one 200).</summary>
    public static OpenApiOperation AlsoAs(this OpenApiOperation operation, HttpStatusCode status, string mediaType, IOpenApiSchema schema, JsonNode? example = null)
    {
        var response = (OpenApiResponse)operation.Responses![((int)status).ToString()];
        response.Content ??= new Dictionary<string, IOpenApiMediaType>();
        response.Content[mediaType] = new OpenApiMediaType { Schema = schema, Example = example };
        return operation;
    }

    /// <summary>A Server-Sent Events body: `data: <json>` frames, `: keep-alive` comments, and `data: [DONE]` at the end.</summary>
    public static OpenApiOperation StreamsEvents(this OpenApiOperation operation, HttpStatusCode status, string eventSchemaName, string example)
    {
        var schema = String(
            $"Server-Sent Events. Each event is one line `data: <{eventSchemaName} as JSON>` and a blank line. Lines starting with `:` are heartbeats. " +
            $"A failure after the stream started arrives as one `data: {{\"error\":{{…}}}}` event ({OpenAIErrorSchema}). The stream ends with `data: [DONE]`.");
        return operation.AlsoAs(status, EventStream, schema, JsonValue.Create(example));
    }

    public static OpenApiOperation WithHeader(this OpenApiOperation operation, HttpStatusCode status, string header, string description)
    {
        var response = (OpenApiResponse)operation.Responses![((int)status).ToString()];
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers[header] = new OpenApiHeader { Description = description, Schema = String() };
        return operation;
    }

    /// <summary>Error responses in the OpenAI envelope (routes under /v1 and the OpenAI alias routes).</summary>
    public static OpenApiOperation WithOpenAIErrors(this OpenApiOperation operation, params HttpStatusCode[] statuses) =>
        WithErrors(operation, Json, OpenAIErrorSchema, statuses);

    /// <summary>Error responses as RFC 9457 ProblemDetails (native routes).</summary>
    public static OpenApiOperation WithProblems(this OpenApiOperation operation, params HttpStatusCode[] statuses) =>
        WithErrors(operation, ProblemJson, ProblemDetailsSchema, statuses);

    /// <summary>Error responses in Anthropic's error object (the Messages API routes).</summary>
    public static OpenApiOperation WithAnthropicErrors(this OpenApiOperation operation, params HttpStatusCode[] statuses) =>
        WithErrors(operation, Json, AnthropicErrorSchema, statuses);

    /// <summary>One Anthropic error whose description names this route's own cases.</summary>
    public static OpenApiOperation WithAnthropicError(this OpenApiOperation operation, HttpStatusCode status, string description) =>
        WithError(operation, status, description, Json, AnthropicErrorSchema);

    /// <summary>No API key needed, whatever API_KEYS says (probes, docs).</summary>
    public static OpenApiOperation Anonymous(this OpenApiOperation operation)
    {
        operation.Security = [];
        return operation;
    }

    /// <summary>One OpenAI-envelope error whose description names this route's own codes.</summary>
    public static OpenApiOperation WithOpenAIError(this OpenApiOperation operation, HttpStatusCode status, string description) =>
        WithError(operation, status, description, Json, OpenAIErrorSchema);

    /// <summary>One ProblemDetails error whose description names this route's own codes.</summary>
    public static OpenApiOperation WithProblem(this OpenApiOperation operation, HttpStatusCode status, string description) =>
        WithError(operation, status, description, ProblemJson, ProblemDetailsSchema);

    /// <summary>An error response in the route family's shape (the status's usual description unless given).</summary>
    public static OpenApiOperation WithError(this OpenApiOperation operation, HttpStatusCode status, ErrorShape shape, string? description = null) => shape switch
    {
        ErrorShape.OpenAI => WithError(operation, status, description ?? ErrorDescription(status), Json, OpenAIErrorSchema),
        ErrorShape.Anthropic => WithError(operation, status, description ?? ErrorDescription(status), Json, AnthropicErrorSchema),
        _ => WithError(operation, status, description ?? ErrorDescription(status), ProblemJson, ProblemDetailsSchema),
    };

    private static OpenApiOperation WithErrors(OpenApiOperation operation, string mediaType, string schemaName, HttpStatusCode[] statuses)
    {
        foreach (var status in statuses)
        {
            WithError(operation, status, ErrorDescription(status), mediaType, schemaName);
        }

        return operation;
    }

    private static OpenApiOperation WithError(OpenApiOperation operation, HttpStatusCode status, string description, string mediaType, string schemaName)
    {
        operation.Responds(status, description, mediaType, Ref(schemaName));
        if (status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or (HttpStatusCode)529)
        {
            operation.WithHeader(status, "Retry-After", "Seconds until a retry can succeed.")
                .WithHeader(status, "x-should-retry", "`false` when every account is exhausted for longer than an SDK should wait.");
        }

        return operation;
    }

    private static string ErrorDescription(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => "Invalid request (param names the field at fault).",
        HttpStatusCode.Unauthorized => "Missing or unknown API key (only when API keys are configured).",
        HttpStatusCode.NotFound => "Not found.",
        HttpStatusCode.Conflict => "Not in a state that allows this (e.g. the job has not completed).",
        HttpStatusCode.RequestEntityTooLarge => "Body larger than the configured limit.",
        HttpStatusCode.UnsupportedMediaType => "Wrong content type.",
        HttpStatusCode.TooManyRequests => "Every account is cooling down or rate limited, or this API key reached its own request limit.",
        HttpStatusCode.BadGateway => "chat.qwen.ai failed or answered something unusable.",
        HttpStatusCode.ServiceUnavailable => "No usable account is configured, or upstream is unavailable.",
        HttpStatusCode.GatewayTimeout => "chat.qwen.ai did not answer in time.",
        (HttpStatusCode)529 => "Overloaded: no account can serve the request now.",
        _ => "Error.",
    };
}
