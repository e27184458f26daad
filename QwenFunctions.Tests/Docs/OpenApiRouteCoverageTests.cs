using System.Text.Json.Nodes;
using QwenFunctions.Http;

namespace QwenFunctions.Tests.Docs;

/// <summary>
/// The document and the app must name the same routes. When this fails after a merge: describe the new function with
/// [OpenApiOperation] and its request, response and error attributes (Docs/OpenApiAttributes.cs).
/// </summary>
public sealed class OpenApiRouteCoverageTests
{
    [Fact]
    public void Document_EveryHttpTrigger_IsDescribed()
    {
        var documented = OpenApiTestDocuments.OperationKeys(OpenApiTestDocuments.AppDocument()).ToHashSet();

        var missing = AppRoutes.All()
            .Where(r => !documented.Contains(r.Key))
            .Select(r => $"{r.Key} ({r.FunctionName}): no [OpenApiOperation]")
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
