using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using QwenFunctions.Configuration;
using QwenFunctions.Http;
using static QwenFunctions.Docs.OpenApiCommon;
using static QwenFunctions.Docs.OpenApiSchemas;

namespace QwenFunctions.Docs;

/// <summary>Describes the documentation routes themselves, so the coverage test holds for every route.</summary>
public sealed class DocsOpenApi(IOptions<ProxyOptions> options) : IOpenApiContributor
{
    private const string Tag = "Docs";

    public void Describe(OpenApiPaths paths, OpenApiComponents components)
    {
        var document = FreeForm("This OpenAPI 3.0 document.");

        Secure(paths.Add(HttpMethod.Get, Routes.OpenApiDocument, Operation("getOpenApiDocument", Tag, "This OpenAPI 3.0 document")
            .Responds(HttpStatusCode.OK, "The document; its server URL follows the request's host and X-Forwarded-* headers.", Json, document)));

        Secure(paths.Add(HttpMethod.Get, Routes.SwaggerDocument, Operation("getSwaggerDocument", Tag, "The same document, under the name Swagger tools look for")
            .Responds(HttpStatusCode.OK, "The document.", Json, document)));

        Secure(paths.Add(HttpMethod.Get, Routes.SwaggerUi, Operation("getSwaggerUi", Tag, "Swagger UI (served by the app, no CDN)")
            .Responds(HttpStatusCode.OK, "HTML page.", "text/html", String())));

        Secure(paths.Add(HttpMethod.Get, Routes.SwaggerUiAsset, Operation("getSwaggerUiAsset", Tag, "A Swagger UI script, stylesheet or icon")
            .WithPathParameter("asset", "File name, e.g. swagger-ui-bundle.js.")
            .Responds(HttpStatusCode.OK, "The file, gzip-encoded when the client accepts gzip.", "application/javascript", String())
            .AlsoAs(HttpStatusCode.OK, "text/css", String())
            .AlsoAs(HttpStatusCode.OK, "image/png", Binary())
            .WithProblems(HttpStatusCode.NotFound)));
    }

    private void Secure(OpenApiOperation operation)
    {
        if (options.Value.RequireApiKeyForDocs)
        {
            operation.WithProblems(HttpStatusCode.Unauthorized);
        }
        else
        {
            operation.Anonymous();
        }
    }
}
