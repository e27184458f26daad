using System.Net;
using System.Text.Json.Nodes;
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
    private const string Tag = "Docs";

    [OpenApiOperation("getOpenApiDocument", Tag, Summary = "This OpenAPI 3.0 document")]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.Json, typeof(JsonObject), Description = "The document; its server URL follows the request's host and X-Forwarded-* headers.")]
    [Function(nameof(RenderOpenApiDocument))]
    public async Task<IResult> RenderOpenApiDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.OpenApiDocument)] HttpRequest req) =>
        DocsContentResult.Text(await documents.GetJsonAsync(req), JsonContentType);

    /// <summary>The same OpenAPI 3 document under the name Swagger tooling looks for first.</summary>
    [OpenApiOperation("getSwaggerDocument", Tag, Summary = "The same document, under the name Swagger tools look for")]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.Json, typeof(JsonObject), Description = "The document.")]
    [Function(nameof(RenderSwaggerDocument))]
    public async Task<IResult> RenderSwaggerDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.SwaggerDocument)] HttpRequest req) =>
        DocsContentResult.Text(await documents.GetJsonAsync(req), JsonContentType);

    [OpenApiOperation("getSwaggerUi", Tag, Summary = "Swagger UI (served by the app, no CDN)")]
    [OpenApiResponseWithBody(HttpStatusCode.OK, "text/html", typeof(string), Description = "HTML page.")]
    [Function(nameof(RenderSwaggerUI))]
    public Task<IResult> RenderSwaggerUI(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.SwaggerUi)] HttpRequest req) =>
        Task.FromResult<IResult>(DocsContentResult.Text(SwaggerUiPage.Render(req.Path.Value ?? string.Empty), "text/html; charset=utf-8"));

    [OpenApiOperation("getSwaggerUiAsset", Tag, Summary = "A Swagger UI script, stylesheet or icon")]
    [OpenApiParameter("asset", Description = "File name, e.g. swagger-ui-bundle.js.")]
    [OpenApiResponseWithBody(HttpStatusCode.OK, "application/javascript", typeof(string), Description = "The file, gzip-encoded when the client accepts gzip.")]
    [OpenApiResponseWithBody(HttpStatusCode.OK, "text/css", typeof(string))]
    [OpenApiResponseWithBody(HttpStatusCode.OK, "image/png", typeof(byte[]))]
    [OpenApiErrors(HttpStatusCode.NotFound)]
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
