using System.Collections.Concurrent;
using System.IO.Compression;
using System.Reflection;
using Swashbuckle.AspNetCore.SwaggerUI;

namespace QwenFunctions.Docs;

/// <summary>
/// Swagger UI's files, taken from the resources embedded in Swashbuckle.AspNetCore.SwaggerUI so the page
/// needs no CDN. Swashbuckle stores them gzip-compressed: we pass that through to clients that accept gzip.
/// </summary>
public sealed class SwaggerUiAssets
{
    private const string ResourcePrefix = "Swashbuckle.AspNetCore.SwaggerUI.node_modules.swagger_ui_dist.";

    // Only what the page loads: the resource set also holds Swashbuckle's own templates and an OAuth2 page we don't use.
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        ["swagger-ui-bundle.js"] = "application/javascript; charset=utf-8",
        ["swagger-ui.css"] = "text/css; charset=utf-8",
        ["index.css"] = "text/css; charset=utf-8",
        ["favicon-32x32.png"] = "image/png",
        ["favicon-16x16.png"] = "image/png",
    };

    private static readonly Assembly SwaggerUiAssembly = typeof(SwaggerUIOptions).Assembly;

    private readonly ConcurrentDictionary<string, byte[]> _gzipped = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]> _plain = new(StringComparer.Ordinal);

    /// <summary>The asset's bytes, gzip-encoded when the client accepts it; null for names we don't serve.</summary>
    public SwaggerUiAsset? Find(string name, bool acceptsGzip)
    {
        if (!ContentTypes.TryGetValue(name, out var contentType))
        {
            return null;
        }

        var gzipped = _gzipped.GetOrAdd(name, static n => ReadResource(ResourcePrefix + n));
        return acceptsGzip
            ? new SwaggerUiAsset(gzipped, contentType, "gzip")
            : new SwaggerUiAsset(_plain.GetOrAdd(name, static (_, g) => Decompress(g), gzipped), contentType, null);
    }

    private static byte[] ReadResource(string resourceName)
    {
        using var stream = SwaggerUiAssembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Swashbuckle no longer embeds {resourceName}; check the package version.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static byte[] Decompress(byte[] gzipped)
    {
        using var input = new GZipStream(new MemoryStream(gzipped), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}

public sealed record SwaggerUiAsset(byte[] Body, string ContentType, string? ContentEncoding);
