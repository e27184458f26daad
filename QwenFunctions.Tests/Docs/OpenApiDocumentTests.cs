using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using QwenFunctions.Docs;
using QwenFunctions.Http;

namespace QwenFunctions.Tests.Docs;

public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task GetJsonAsync_AppDocument_ReadsAsOpenApi3WithoutErrorsOrWarnings()
    {
        var json = await OpenApiTestDocuments.AppDocumentJsonAsync();

        AssertValidOpenApi3(json);
    }

    [Fact]
    public async Task GetJsonAsync_RequireApiKeyForDocs_ReadsAsOpenApi3WithoutErrorsOrWarnings()
    {
        using var services = OpenApiTestDocuments.AppServices(new Dictionary<string, string?> { ["Proxy:RequireApiKeyForDocs"] = "true" });

        var json = await services.GetRequiredService<OpenApiDocumentProvider>().GetJsonAsync(OpenApiTestDocuments.Request());

        AssertValidOpenApi3(json);
    }

    [Fact]
    public async Task GetJsonAsync_AnyRequest_DescribesErrorShapesAndBearerScheme()
    {
        var document = OpenApiDocument.Parse(await OpenApiTestDocuments.AppDocumentJsonAsync(), "json").Document!;

        Assert.Contains(nameof(ApiErrorWriter.OpenAIErrorEnvelope), document.Components!.Schemas!.Keys);
        Assert.Contains(nameof(ApiProblemDetails), document.Components.Schemas.Keys);
        Assert.Contains(nameof(AnthropicErrorBody.AnthropicErrorEnvelope), document.Components.Schemas.Keys);
        var scheme = document.Components.SecuritySchemes![OpenApiDocumentProvider.BearerScheme];
        Assert.Equal(SecuritySchemeType.Http, scheme.Type);
        Assert.Equal("bearer", scheme.Scheme);
        Assert.Equal(OpenApiDocumentProvider.BearerScheme, Assert.Single(Assert.Single(document.Security!).Keys).Reference.Id);
    }

    [Fact]
    public void BuildDocument_DocsRoutes_NeedNoApiKeyByDefault()
    {
        var document = OpenApiTestDocuments.AppDocument();

        foreach (var path in new[] { "/openapi/v3.json", "/swagger.json", "/swagger/ui", "/swagger/ui/{asset}" })
        {
            var operation = document.Paths[path].Operations![HttpMethod.Get];
            Assert.NotNull(operation.Security);
            Assert.Empty(operation.Security);
        }
    }

    [Fact]
    public void BuildDocument_RequireApiKeyForDocs_DocsRoutesInheritTheBearerScheme()
    {
        using var services = OpenApiTestDocuments.AppServices(new Dictionary<string, string?> { ["Proxy:RequireApiKeyForDocs"] = "true" });

        var document = services.GetRequiredService<OpenApiDocumentProvider>().BuildDocument();

        var operation = document.Paths["/swagger/ui"].Operations![HttpMethod.Get];
        Assert.Null(operation.Security);
        Assert.Contains("401", operation.Responses!.Keys);
    }

    [Fact]
    public async Task GetJsonAsync_TwoHosts_SameDocumentApartFromTheServer()
    {
        var local = await OpenApiTestDocuments.AppDocumentJsonAsync("localhost:7071");
        var azure = await OpenApiTestDocuments.AppDocumentJsonAsync("qwen.example.net");

        Assert.Contains("\"url\": \"http://localhost:7071/api\"", local);
        Assert.Contains("\"url\": \"http://qwen.example.net/api\"", azure);
        Assert.Equal(local.Replace("localhost:7071", "HOST"), azure.Replace("qwen.example.net", "HOST"));
    }

    private static void AssertValidOpenApi3(string json)
    {
        var result = OpenApiDocument.Parse(json, "json");

        Assert.NotNull(result.Diagnostic);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_0, result.Diagnostic.SpecificationVersion);
        Assert.True(result.Diagnostic.Errors.Count == 0, "OpenAPI errors:\n" + string.Join('\n', result.Diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}")));
        Assert.True(result.Diagnostic.Warnings.Count == 0, "OpenAPI warnings:\n" + string.Join('\n', result.Diagnostic.Warnings.Select(e => $"{e.Pointer}: {e.Message}")));
        Assert.NotEmpty(result.Document!.Paths);
    }
}
