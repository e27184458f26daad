using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using QwenFunctions.Http;

namespace QwenFunctions.Docs;

/// <summary>
/// The routes Microsoft.Azure.Functions.Worker.Extensions.OpenApi used to serve, so existing bookmarks and
/// client generators keep working: /api/openapi/v3.json, /api/swagger.json and /api/swagger/ui.
/// Anonymous unless Proxy:RequireApiKeyForDocs is set; <see cref="ApiKeyGate"/> decides, like for every route.
/// </summary>
public sealed class DocsFunctions(OpenApiDocumentProvider documents, SwaggerUiAssets assets)
{
    private const string JsonContentType = "application/json; charset=utf-8";

    [Function(nameof(RenderOpenApiDocument))]
    public async Task<IResult> RenderOpenApiDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.OpenApiDocument)] HttpRequest req) =>
        DocsContentResult.Text(await documents.GetJsonAsync(req), JsonContentType);

    /// <summary>The same OpenAPI 3 document under the name Swagger tooling looks for first.</summary>
    [Function(nameof(RenderSwaggerDocument))]
    public async Task<IResult> RenderSwaggerDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.SwaggerDocument)] HttpRequest req) =>
        DocsContentResult.Text(await documents.GetJsonAsync(req), JsonContentType);

    [Function(nameof(RenderSwaggerUI))]
    public Task<IResult> RenderSwaggerUI(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.SwaggerUi)] HttpRequest req) =>
        Task.FromResult<IResult>(DocsContentResult.Text(SwaggerUiPage.Render(req.Path.Value ?? string.Empty), "text/html; charset=utf-8"));

    [Function(nameof(RenderSwaggerUIAsset))]
    public Task<IResult> RenderSwaggerUIAsset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.SwaggerUiAsset)] HttpRequest req, string asset)
    {
        var found = assets.Find(asset, AcceptsGzip(req)) ?? throw ApiException.NotFound($"Swagger UI has no asset '{asset}'.");

        // The assets change only with the Swashbuckle package version, i.e. with a deployment.
        return Task.FromResult<IResult>(new DocsContentResult(found.Body, found.ContentType, "public, max-age=86400")
        {
            ContentEncoding = found.ContentEncoding,
            VariesByEncoding = true,
        });
    }

    private static bool AcceptsGzip(HttpRequest req) =>
        req.GetTypedHeaders().AcceptEncoding.Any(e =>
            (e.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) || e.Value.Equals("*", StringComparison.Ordinal))
            && e.Quality is not 0);
}
