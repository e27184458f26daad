using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace QwenFunctions.Docs;

/// <summary>Writes a fixed body with exact headers (length, caching, encoding, nosniff).</summary>
public sealed class DocsContentResult(byte[] body, string contentType, string cacheControl) : IResult
{
    /// <summary>Set for bodies stored compressed (Swagger UI assets).</summary>
    public string? ContentEncoding { get; init; }

    /// <summary>Set when the same URL is served compressed or not depending on Accept-Encoding, so caches keep both.</summary>
    public bool VariesByEncoding { get; init; }

    public static DocsContentResult Text(string body, string contentType) =>
        new(System.Text.Encoding.UTF8.GetBytes(body), contentType, "no-cache");

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        response.Headers.CacheControl = cacheControl;
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        if (ContentEncoding is not null)
        {
            response.Headers.ContentEncoding = ContentEncoding;
        }

        if (VariesByEncoding)
        {
            response.Headers.Vary = HeaderNames.AcceptEncoding;
        }

        await response.Body.WriteAsync(body, httpContext.RequestAborted);
    }
}
