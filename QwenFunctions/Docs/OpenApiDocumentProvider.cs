using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using QwenFunctions.Configuration;
using QwenFunctions.Http;

namespace QwenFunctions.Docs;

/// <summary>
/// Builds the OpenAPI document once, from the [OpenApi*] attributes on the HTTP functions and the schemas of their body
/// types, and caches its JSON; only the server URL differs per request. Security, 401 and the client limit's 429 follow
/// the pipeline's own rules (<see cref="ApiKeyGate"/>), error bodies the route family (<see cref="RouteFamily.ShapeOf"/>).
/// </summary>
public sealed class OpenApiDocumentProvider
{
    public const string BearerScheme = "bearerAuth";

    // Serialized in place of the server URL, then swapped per request: no re-serialization, and key order stays put.
    private const string ServerUrlPlaceholder = "__QWEN_SERVER_URL__";
    private const BindingFlags Static = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static;

    private static readonly HttpMethod[] MethodOrder = [HttpMethod.Get, HttpMethod.Put, HttpMethod.Post, HttpMethod.Delete, HttpMethod.Patch];

    private readonly ProxyOptions _proxy;
    private readonly Lazy<Task<string>> _template;

    public OpenApiDocumentProvider(IOptions<ProxyOptions> proxy)
    {
        _proxy = proxy.Value;
        _template = new Lazy<Task<string>>(() => BuildDocument().SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_0));
    }

    /// <summary>The document as OpenAPI 3.0 JSON, with the server URL the request came in through.</summary>
    public async Task<string> GetJsonAsync(HttpRequest request)
    {
        var template = await _template.Value.ConfigureAwait(false);
        var serverUrl = JsonSerializer.Serialize(OpenApiServerUrl.From(request, Routes.Prefix));
        return template.Replace($"\"{ServerUrlPlaceholder}\"", serverUrl, StringComparison.Ordinal);
    }

    public OpenApiDocument BuildDocument()
    {
        var document = new OpenApiDocument
        {
            Info = new OpenApiInfo
            {
                Title = "QwenFunctions",
                Version = "1.0",
                Description = "chat.qwen.ai as an HTTP API: native routes and an OpenAI-compatible surface under /v1. " +
                    "Use the server URL (ending in /api, or /api/v1 for OpenAI SDKs) as the base URL.",
            },
            Servers = [new OpenApiServer { Url = ServerUrlPlaceholder }],
            Paths = [],
            Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme)] = [] }],
        };
        var schemas = new OpenApiSchemaSet(document);

        // Sorted paths, methods and statuses keep the committed snapshot's diffs about API changes, not reflection order.
        foreach (var route in HttpFunctions().GroupBy(f => f.Route).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var operations = new Dictionary<HttpMethod, OpenApiOperation>();
            foreach (var (function, _, method, described) in route.OrderBy(f => Array.IndexOf(MethodOrder, f.Method)))
            {
                var source = described.SameAs is { } twin
                    ? function.DeclaringType!.GetMethod(twin) ?? throw new InvalidOperationException($"{function.Name}: no method {twin} to describe it as.")
                    : function;
                operations.Add(method, Operation(source, described, Routes.PathOf(route.Key), schemas));
            }

            document.Paths[Routes.DocumentPath(route.Key)] = new OpenApiPathItem { Operations = operations };
        }

        document.Components = new OpenApiComponents
        {
            Schemas = schemas.Components.ToDictionary(),
            SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
            {
                [BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "One of the keys in API_KEYS (Proxy__ApiKeys), sent as `Authorization: Bearer <key>`. When no key is configured the API is open.",
                },
            },
        };
        document.Tags = document.Paths.Values.SelectMany(p => p.Operations!.Values).SelectMany(o => o.Tags!).Select(t => t.Reference.Id!)
            .Distinct().Order(StringComparer.Ordinal).Select(name => new OpenApiTag { Name = name }).ToHashSet();

        // References (tags, the security scheme) were made without a document; bind them so they serialize.
        document.SetReferenceHostDocument();
        return document;
    }

    private OpenApiOperation Operation(MethodInfo function, OpenApiOperationAttribute described, string requestPath, OpenApiSchemaSet schemas)
    {
        var json = JsonOptions(function) ?? JsonOptions(function.DeclaringType!) ?? JsonSerializerOptions.Web;
        IOpenApiSchema Schema(Type body) => schemas.For(body, JsonOptions(body) ?? (body.DeclaringType is { } outer ? JsonOptions(outer) : null) ?? json);

        var responses = new SortedDictionary<string, OpenApiResponse>(StringComparer.Ordinal);
        OpenApiResponse Response(HttpStatusCode status, string? description)
        {
            var code = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var response = responses.TryGetValue(code, out var found) ? found : responses[code] = new OpenApiResponse();
            response.Description ??= description;
            return response;
        }

        void Content(OpenApiResponse response, string mediaType, IOpenApiSchema schema, string? example = null) =>
            (response.Content ??= new Dictionary<string, IOpenApiMediaType>())[mediaType] =
                new OpenApiMediaType { Schema = schema, Example = example is null ? null : JsonValue.Create(example) };

        void Header(OpenApiResponse response, string name, string description) => (response.Headers ??= new Dictionary<string, IOpenApiHeader>())[name] =
            new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };

        void Error(HttpStatusCode status, string? description = null)
        {
            var (mediaType, body) = OpenApiErrors.Of(RouteFamily.ShapeOf(new PathString(requestPath)));
            var response = Response(status, description ?? OpenApiErrors.Describe(status));
            Content(response, mediaType, schemas.For(body, JsonSerializerOptions.Web));
            if (OpenApiErrors.SaysWhenToRetry(status))
            {
                Header(response, "Retry-After", "Seconds until a retry can succeed.");
                Header(response, "x-should-retry", "`false` when every account is exhausted for longer than an SDK should wait.");
            }
        }

        foreach (var body in function.GetCustomAttributes<OpenApiResponseWithBodyAttribute>())
        {
            var schema = Schema(body.BodyType);
            if (body.ContentType == OpenApiErrors.EventStream)
            {
                // The stream is text; its events' JSON is the body type, registered above as a component for clients to generate.
                var events = new OpenApiSchema { Type = JsonSchemaType.String, Description = body.Description ?? OpenApiErrors.DataEvents(body.BodyType.Name) };
                Content(Response(body.StatusCode, null), body.ContentType, events, body.Example);
            }
            else
            {
                Content(Response(body.StatusCode, body.Description), body.ContentType, schema);
            }
        }

        foreach (var empty in function.GetCustomAttributes<OpenApiResponseWithoutBodyAttribute>())
        {
            Response(empty.StatusCode, empty.Description);
        }

        foreach (var header in function.GetCustomAttributes<OpenApiResponseHeaderAttribute>())
        {
            Header(Response(header.StatusCode, null), header.Name, header.Description);
        }

        foreach (var errors in function.GetCustomAttributes<OpenApiErrorsAttribute>())
        {
            foreach (var status in errors.StatusCodes)
            {
                Error(status, errors.Description);
            }
        }

        // What the pipeline answers before any function runs, so no function can forget it.
        var anonymous = ApiKeyGate.IsAnonymous(requestPath, _proxy);
        if (!anonymous && !responses.ContainsKey("401"))
        {
            Error(HttpStatusCode.Unauthorized);
        }

        if (!ApiKeyGate.IsUnmetered(new PathString(requestPath)) && !responses.ContainsKey("429"))
        {
            Error(HttpStatusCode.TooManyRequests, OpenApiErrors.ClientLimit);
        }

        var bodies = function.GetCustomAttributes<OpenApiRequestBodyAttribute>().ToList();
        var operation = new OpenApiOperation
        {
            OperationId = described.OperationId,
            Tags = described.Tags.Select(t => new OpenApiTagReference(t)).ToHashSet(),
            Summary = described.Summary ?? function.GetCustomAttribute<OpenApiOperationAttribute>()!.Summary,
            Description = described.Description ?? function.GetCustomAttribute<OpenApiOperationAttribute>()!.Description,
            Parameters = function.GetCustomAttributes<OpenApiParameterAttribute>().Select(p => (IOpenApiParameter)new OpenApiParameter
            {
                Name = p.Name,
                In = p.In,
                Required = p.Required || p.In == ParameterLocation.Path,
                Description = p.Description,
                Schema = schemas.For(p.Type, json),
            }).ToList() is { Count: > 0 } parameters ? parameters : null,
            RequestBody = bodies.Count == 0 ? null : new OpenApiRequestBody
            {
                Required = bodies[0].Required,
                Description = bodies[0].Description,
                Content = bodies.ToDictionary(b => b.ContentType, b => (IOpenApiMediaType)new OpenApiMediaType { Schema = Schema(b.BodyType) }),
            },
            Responses = [],
            Security = anonymous ? [] : null,
        };
        foreach (var (status, response) in responses)
        {
            operation.Responses[status] = response;
        }

        return operation;
    }

    private static IEnumerable<(MethodInfo Function, string Route, HttpMethod Method, OpenApiOperationAttribute Described)> HttpFunctions() =>
        from type in typeof(OpenApiDocumentProvider).Assembly.GetTypes()
        from function in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
        where function.GetCustomAttribute<FunctionAttribute>() is not null
        let described = function.GetCustomAttribute<OpenApiOperationAttribute>()
        where described is not null // a function without it is named by the route-coverage test
        from trigger in function.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).OfType<HttpTriggerAttribute>()
        from method in trigger.Methods ?? []
        select (function, trigger.Route!, new HttpMethod(method.ToUpperInvariant()), described);

    private static JsonSerializerOptions? JsonOptions(MemberInfo member) => member.GetCustomAttribute<OpenApiJsonOptionsAttribute>() is { } named
        ? (JsonSerializerOptions?)(named.Holder.GetField(named.Member, Static)?.GetValue(null) ?? named.Holder.GetProperty(named.Member, Static)?.GetValue(null))
            ?? throw new InvalidOperationException($"{named.Holder}.{named.Member} is not a static JsonSerializerOptions.")
        : null;
}
