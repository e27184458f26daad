using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QwenFunctions.Configuration;

namespace QwenFunctions.Http;

/// <summary>
/// Client authentication with API_KEYS. Keys are compared as SHA-256 digests in constant time. Started with the host,
/// so an open API (no API_KEYS) is reported in the start-up log rather than at the first request, hours later.
/// </summary>
public sealed class ApiKeyGate : IHostedService
{
    // Probes and the API documentation stay reachable without a key (docs can be closed by a setting).
    private static readonly string[] AnonymousPaths = [Routes.PathOf(Routes.Health)];
    private static readonly string[] DocsPaths = [Routes.PathOf(Routes.OpenApi), Routes.PathOf(Routes.Swagger)];

    private readonly IOptionsMonitor<ProxyOptions> _options;
    private readonly ILogger<ApiKeyGate> _logger;

    public ApiKeyGate(IOptionsMonitor<ProxyOptions> options, ILogger<ApiKeyGate> logger)
    {
        _options = options;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.CurrentValue.ParseApiKeys().Count == 0)
        {
            Log.ApiOpen(_logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The caller's key id (a hash prefix, safe for counters and logs), or null when the API is open.</summary>
    /// <exception cref="ApiException">401 when a key is required and missing or wrong.</exception>
    public string? Authorize(HttpContext context)
    {
        var options = _options.CurrentValue;
        var keys = options.ParseApiKeys();
        var path = (context.Request.Path.Value ?? "").TrimEnd('/'); // routing serves /api/health/ as /api/health
        if (keys.Count == 0 || IsAnonymous(path, options))
        {
            return null;
        }

        var presented = Presented(context.Request);
        if (presented is null)
        {
            throw new ApiException(HttpStatusCode.Unauthorized, "invalid_request_error", "missing_api_key",
                "Authorization required: send 'Authorization: Bearer <API key>' (or 'x-api-key: <API key>').");
        }

        var presentedDigest = Digest(presented);
        var match = false;
        foreach (var key in keys)
        {
            // No early exit: the time taken must not depend on which key (if any) matched.
            match |= CryptographicOperations.FixedTimeEquals(presentedDigest, Digest(key));
        }

        return match
            ? KeyId(presented)
            : throw new ApiException(HttpStatusCode.Unauthorized, "invalid_request_error", "invalid_api_key", "Invalid API key.");
    }

    /// <summary>Probes and docs are not counted against a client's request budget.</summary>
    public static bool IsUnmetered(PathString path)
    {
        // Every request asks: plain loops, no enumerators or closures.
        var value = path.Value ?? "";
        foreach (var p in AnonymousPaths)
        {
            if (value.StartsWith(p, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var p in DocsPaths)
        {
            if (value.StartsWith(p, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public static string KeyId(string key) => "key_" + Convert.ToHexStringLower(Digest(key))[..12];

    /// <summary>Health always, the docs unless Proxy:RequireApiKeyForDocs: no key asked (the OpenAPI document reads it too).</summary>
    public static bool IsAnonymous(string path, ProxyOptions options) =>
        AnonymousPaths.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase))
        || (!options.RequireApiKeyForDocs && DocsPaths.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase)));

    private static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization["Bearer ".Length..].Trim();
            return token.Length > 0 ? token : null;
        }

        var alt = request.Headers["x-api-key"].ToString();
        if (alt.Length == 0)
        {
            alt = request.Headers["api-key"].ToString();
        }

        return alt.Length > 0 ? alt.Trim() : null;
    }

    private static byte[] Digest(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
