using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.OpenApi;
using QwenFunctions.Http;

namespace QwenFunctions.Docs;

/// <summary>
/// Builds the OpenAPI document once from every capability's contributor and caches its JSON;
/// only the server URL differs per request.
/// </summary>
public sealed class OpenApiDocumentProvider
{
    // Serialized in place of the server URL, then swapped per request: no re-serialization, and key order stays put.
    private const string ServerUrlPlaceholder = "__QWEN_SERVER_URL__";

    private static readonly HttpMethod[] MethodOrder = [HttpMethod.Get, HttpMethod.Put, HttpMethod.Post, HttpMethod.Delete, HttpMethod.Patch, HttpMethod.Head, HttpMethod.Options];

    private readonly IReadOnlyList<IOpenApiContributor> _contributors;
    private readonly Lazy<Task<string>> _template;

    public OpenApiDocumentProvider(IEnumerable<IOpenApiContributor> contributors)
    {
        _contributors = contributors.ToList();
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
        var paths = new OpenApiPaths();
        var components = new OpenApiComponents();
        OpenApiCommon.AddSharedComponents(components);
        foreach (var contributor in _contributors)
        {
            contributor.Describe(paths, components);
        }

        OpenApiGatewayResponses.Apply(paths, Routes.Prefix);

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
            Paths = Sorted(paths),
            Components = SortedComponents(components),
            Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OpenApiCommon.BearerScheme)] = [] }],
            Tags = CollectTags(paths),
        };

        // References (schemas, tags, the security scheme) were created without a document; bind them so they serialize.
        document.SetReferenceHostDocument();
        return document;
    }

    // Stable ordering keeps the committed snapshot's diffs about API changes, not about registration order.
    private static OpenApiPaths Sorted(OpenApiPaths paths)
    {
        var sorted = new OpenApiPaths();
        foreach (var (path, item) in paths.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var pathItem = (OpenApiPathItem)item;
            pathItem.Operations = pathItem.Operations?
                .OrderBy(o => Array.IndexOf(MethodOrder, o.Key))
                .ToDictionary(o => o.Key, o => o.Value);
            foreach (var operation in pathItem.Operations?.Values.AsEnumerable() ?? [])
            {
                operation.Responses = SortedResponses(operation.Responses);
            }

            sorted[path] = pathItem;
        }

        return sorted;
    }

    // By status code, so responses added after a contributor ran (the pipeline's 401/429) sit where a reader looks for them.
    private static OpenApiResponses? SortedResponses(OpenApiResponses? responses)
    {
        if (responses is null)
        {
            return null;
        }

        var sorted = new OpenApiResponses();
        foreach (var (status, response) in responses.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            sorted[status] = response;
        }

        return sorted;
    }

    private static OpenApiComponents SortedComponents(OpenApiComponents components)
    {
        components.Schemas = components.Schemas?.OrderBy(s => s.Key, StringComparer.Ordinal).ToDictionary(s => s.Key, s => s.Value);
        return components;
    }

    private static HashSet<OpenApiTag> CollectTags(OpenApiPaths paths) => paths.Values
        .SelectMany(p => p.Operations?.Values.AsEnumerable() ?? [])
        .SelectMany(o => o.Tags ?? new HashSet<OpenApiTagReference>())
        .Select(t => t.Reference.Id!)
        .Distinct()
        .Order(StringComparer.Ordinal)
        .Select(name => new OpenApiTag { Name = name })
        .ToHashSet();
}
