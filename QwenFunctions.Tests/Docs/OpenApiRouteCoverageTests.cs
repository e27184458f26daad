using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using QwenFunctions.Docs;
using QwenFunctions.Http;

namespace QwenFunctions.Tests.Docs;

/// <summary>
/// The document and the app must name the same routes. When this fails after a merge: describe the new route in
/// the capability's *OpenApi.cs contributor (and register it in AddQwen's Docs block), or drop the stale description.
/// </summary>
public sealed class OpenApiRouteCoverageTests
{
    [Fact]
    public void Document_EveryHttpTrigger_IsDescribed()
    {
        var documented = OpenApiTestDocuments.OperationKeys(OpenApiTestDocuments.AppDocument()).ToHashSet();

        var describers = UnregisteredDescribers();

        var missing = AppRoutes.All()
            .Where(r => !documented.Contains(r.Key))
            .Select(r => $"{r.Key} ({r.FunctionName})" + (describers.TryGetValue(r.Key, out var type) ? $": described by {type}, register it in AddQwen's Docs block" : ""))
            .Order()
            .ToList();

        Assert.True(missing.Count == 0, "Routes the app serves but the OpenAPI document lacks:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void Document_EveryOperation_HasAnHttpTrigger()
    {
        var served = AppRoutes.All().Select(r => r.Key).ToHashSet();

        var stale = OpenApiTestDocuments.OperationKeys(OpenApiTestDocuments.AppDocument()).Where(k => !served.Contains(k)).Order().ToList();

        Assert.True(stale.Count == 0, "Operations the OpenAPI document names but no function serves:\n" + string.Join('\n', stale));
    }

    /// <summary>Operations that contributors the app does not register yet would describe, for a helpful failure message.</summary>
    private static Dictionary<string, string> UnregisteredDescribers()
    {
        using var services = OpenApiTestDocuments.AppServices();
        var registered = services.GetServices<IOpenApiContributor>().Select(c => c.GetType()).ToHashSet();
        var result = new Dictionary<string, string>();
        foreach (var type in typeof(IOpenApiContributor).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IOpenApiContributor).IsAssignableFrom(t) && !registered.Contains(t)))
        {
            var contributor = (IOpenApiContributor)ActivatorUtilities.CreateInstance(services, type);
            var document = new OpenApiDocumentProvider([contributor]).BuildDocument();
            foreach (var key in OpenApiTestDocuments.OperationKeys(document))
            {
                result.TryAdd(key, type.FullName!);
            }
        }

        return result;
    }

    [Fact]
    public void Document_AppRoutes_IncludeTheDocsRoutes()
    {
        var served = AppRoutes.All().Select(r => r.Key).ToList();

        Assert.Contains("GET /openapi/v3.json", served);
        Assert.Contains("GET /swagger.json", served);
        Assert.Contains("GET /swagger/ui", served);
        Assert.Contains("GET /swagger/ui/{asset}", served);
    }

    [Fact]
    public void RoutePrefix_MatchesHostJson()
    {
        var hostJson = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "host.json")))!;

        Assert.Equal(Routes.Prefix, (string?)hostJson["extensions"]?["http"]?["routePrefix"]);
    }

    [Theory]
    [InlineData("videos/{id}", "/videos/{id}")]
    [InlineData("videos/{id:guid}/content", "/videos/{id}/content")]
    [InlineData("/v1/models/{id:minlength(1)}", "/v1/models/{id}")]
    [InlineData("swagger/ui/{*asset}", "/swagger/ui/{asset}")]
    public void ToOpenApiPaths_RouteTemplate_BecomesOpenApiPath(string route, string expected)
    {
        Assert.Equal([expected], AppRoutes.ToOpenApiPaths(route));
    }

    [Fact]
    public void ToOpenApiPaths_OptionalLastParameter_GivesBothPaths()
    {
        Assert.Equal(["/v1/models/{id}", "/v1/models"], AppRoutes.ToOpenApiPaths("v1/models/{id?}"));
    }
}
