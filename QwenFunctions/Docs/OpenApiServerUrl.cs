using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace QwenFunctions.Docs;

/// <summary>
/// The base URL clients used to reach us, so "Try it out" calls the same host locally, in Azure and behind a gateway.
/// Forwarded headers are only trusted as far as their shape: anything odd falls back to what Kestrel saw.
/// </summary>
public static partial class OpenApiServerUrl
{
    public static string From(HttpRequest request, string routePrefix)
    {
        var scheme = First(request.Headers["X-Forwarded-Proto"]) is { } proto && (proto.Equals("http", StringComparison.OrdinalIgnoreCase) || proto.Equals("https", StringComparison.OrdinalIgnoreCase))
            ? proto.ToLowerInvariant()
            : request.Scheme;

        var host = First(request.Headers["X-Forwarded-Host"]) is { } forwardedHost && HostPattern().IsMatch(forwardedHost)
            ? forwardedHost
            : request.Host.HasValue ? request.Host.Value : "localhost";

        var prefix = First(request.Headers["X-Forwarded-Prefix"]) is { } forwardedPrefix && PrefixPattern().IsMatch(forwardedPrefix)
            ? forwardedPrefix.TrimEnd('/')
            : string.Empty;

        return $"{scheme}://{host}{prefix}{request.PathBase}/{routePrefix}";
    }

    // Several proxies append their own values: the first one is what the client used.
    private static string? First(string? header) =>
        string.IsNullOrWhiteSpace(header) ? null : header.Split(',')[0].Trim() is { Length: > 0 } first ? first : null;

    [GeneratedRegex(@"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")]
    private static partial Regex HostPattern();

    [GeneratedRegex(@"^(/(?!\.\.?(/|$))[A-Za-z0-9._~\-]+)+/?$")]
    private static partial Regex PrefixPattern();
}
