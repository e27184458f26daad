using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using QwenFunctions.Docs;
using QwenFunctions.Http;

namespace QwenFunctions.Tests.Docs;

public sealed class DocsFunctionsTests : IDisposable
{
    private readonly ServiceProvider _services = OpenApiTestDocuments.AppServices();
    private readonly DocsFunctions _functions;

    public DocsFunctionsTests() => _functions = ActivatorUtilities.CreateInstance<DocsFunctions>(_services);

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task RenderOpenApiDocument_Get_ServesJsonWithTheRequestsServer()
    {
        var request = OpenApiTestDocuments.Request("localhost:7071", "/api/openapi/v3.json");

        var (response, body) = await ExecuteAsync(request, await _functions.RenderOpenApiDocument(request));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.ContentType);
        Assert.StartsWith("{\n  \"openapi\": \"3.0.", Encoding.UTF8.GetString(body).ReplaceLineEndings("\n"));
        Assert.Contains("\"url\": \"http://localhost:7071/api\"", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public async Task RenderSwaggerDocument_Get_ServesTheSameDocument()
    {
        var v3 = OpenApiTestDocuments.Request(path: "/api/openapi/v3.json");
        var swagger = OpenApiTestDocuments.Request(path: "/api/swagger.json");

        var (_, expected) = await ExecuteAsync(v3, await _functions.RenderOpenApiDocument(v3));
        var (response, actual) = await ExecuteAsync(swagger, await _functions.RenderSwaggerDocument(swagger));

        Assert.Equal("application/json; charset=utf-8", response.ContentType);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("/api/swagger/ui", "href=\"ui/swagger-ui.css\"", "src=\"ui/swagger-ui-bundle.js\"", "\"../openapi/v3.json\"")]
    [InlineData("/api/swagger/ui/", "href=\"./swagger-ui.css\"", "src=\"./swagger-ui-bundle.js\"", "\"../../openapi/v3.json\"")]
    public async Task RenderSwaggerUI_Get_ServesHtmlWhoseRelativeUrlsResolveToOurRoutes(string path, string css, string script, string document)
    {
        var request = OpenApiTestDocuments.Request(path: path);

        var (response, body) = await ExecuteAsync(request, await _functions.RenderSwaggerUI(request));

        var html = Encoding.UTF8.GetString(body);
        Assert.Equal("text/html; charset=utf-8", response.ContentType);
        Assert.Contains(css, html);
        Assert.Contains(script, html);
        Assert.Contains(document, html);
        Assert.DoesNotContain("https://", html);
    }

    [Theory]
    [InlineData("swagger-ui-bundle.js", "application/javascript; charset=utf-8")]
    [InlineData("swagger-ui.css", "text/css; charset=utf-8")]
    [InlineData("index.css", "text/css; charset=utf-8")]
    [InlineData("favicon-32x32.png", "image/png")]
    [InlineData("favicon-16x16.png", "image/png")]
    public async Task RenderSwaggerUIAsset_NoGzip_ServesThePlainFileWithItsContentType(string asset, string contentType)
    {
        var request = OpenApiTestDocuments.Request(path: "/api/swagger/ui/" + asset);

        var (response, body) = await ExecuteAsync(request, await _functions.RenderSwaggerUIAsset(request, asset));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(contentType, response.ContentType);
        Assert.False(response.Headers.ContainsKey("Content-Encoding"));
        Assert.Equal("Accept-Encoding", response.Headers.Vary.ToString());
        Assert.Equal(body.Length, response.ContentLength);
        if (contentType == "image/png")
        {
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], body[..4]);
        }
    }

    [Fact]
    public async Task RenderSwaggerUIAsset_AcceptsGzip_ServesTheStoredGzipBytes()
    {
        var request = OpenApiTestDocuments.Request(path: "/api/swagger/ui/swagger-ui-bundle.js");
        request.Headers.AcceptEncoding = "gzip, deflate, br";

        var (response, body) = await ExecuteAsync(request, await _functions.RenderSwaggerUIAsset(request, "swagger-ui-bundle.js"));

        Assert.Equal("gzip", response.Headers.ContentEncoding.ToString());
        Assert.Equal("application/javascript; charset=utf-8", response.ContentType);
        using var unzipped = new StreamReader(new GZipStream(new MemoryStream(body), CompressionMode.Decompress));
        Assert.Contains("SwaggerUIBundle", await unzipped.ReadToEndAsync());
    }

    [Fact]
    public async Task RenderSwaggerUIAsset_GzipRefused_ServesPlain()
    {
        var request = OpenApiTestDocuments.Request(path: "/api/swagger/ui/swagger-ui.css");
        request.Headers.AcceptEncoding = "gzip;q=0, identity";

        var (response, body) = await ExecuteAsync(request, await _functions.RenderSwaggerUIAsset(request, "swagger-ui.css"));

        Assert.False(response.Headers.ContainsKey("Content-Encoding"));
        Assert.Contains(".swagger-ui", Encoding.UTF8.GetString(body));
    }

    [Theory]
    [InlineData("oauth2-redirect.html")]
    [InlineData("index.html")]
    [InlineData("..%2FQwenFunctions.dll")]
    public async Task RenderSwaggerUIAsset_UnknownName_Is404(string asset)
    {
        var request = OpenApiTestDocuments.Request(path: "/api/swagger/ui/" + asset);

        var error = await Assert.ThrowsAsync<ApiException>(() => _functions.RenderSwaggerUIAsset(request, asset));

        Assert.Equal(HttpStatusCode.NotFound, error.Status);
    }

    private static async Task<(HttpResponse Response, byte[] Body)> ExecuteAsync(HttpRequest request, IResult result)
    {
        var context = request.HttpContext;
        await result.ExecuteAsync(context);
        return (context.Response, ((MemoryStream)context.Response.Body).ToArray());
    }
}
