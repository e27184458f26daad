using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using QwenFunctions.Docs;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Docs;

/// <summary>The document as the app's composition root builds it, and a request to ask for it with.</summary>
internal static class OpenApiTestDocuments
{
    public static ServiceProvider AppServices(IDictionary<string, string?>? settings = null) =>
        TestServices.Build(settings ?? new Dictionary<string, string?>());

    public static async Task<string> AppDocumentJsonAsync(string host = "localhost:7071")
    {
        using var services = AppServices();
        return await services.GetRequiredService<OpenApiDocumentProvider>().GetJsonAsync(Request(host));
    }

    public static OpenApiDocument AppDocument()
    {
        using var services = AppServices();
        return services.GetRequiredService<OpenApiDocumentProvider>().BuildDocument();
    }

    public static HttpRequest Request(string host = "localhost:7071", string path = "/api/openapi/v3.json", string scheme = "http")
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = scheme;
        context.Request.Host = new HostString(host);
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    public static IEnumerable<string> OperationKeys(OpenApiDocument document) => document.Paths
        .SelectMany(p => (p.Value.Operations ?? []).Select(o => $"{o.Key.Method.ToUpperInvariant()} {p.Key}"));
}
