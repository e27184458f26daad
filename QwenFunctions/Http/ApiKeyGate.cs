using System.Buffers;
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
/// Client authentication with API_KEYS. Keys are compared as SHA-256 digests in constant time; the configured keys'
/// digests are computed once per settings version, so a request hashes only the key it presents. Started with the host,
/// so an open API (no API_KEYS) is reported in the start-up log rather than at the first request, hours later.
/// </summary>
public sealed class ApiKeyGate : IHostedService
{
    // Probes and the API documentation stay reachable without a key (docs can be closed by a setting).
    private static readonly string[] AnonymousPaths = [Routes.PathOf(Routes.Health)];
    private static readonly string[] DocsPaths = [Routes.PathOf(Routes.OpenApi), Routes.PathOf(Routes.Swagger)];

    private readonly IOptionsMonitor<ProxyOptions> _options;
    private readonly ILogger<ApiKeyGate> _logger;
    private volatile KeySet? _keys;

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
        var keys = KeysOf(options);
        var path = (context.Request.Path.Value ?? "").TrimEnd('/'); // routing serves /api/health/ as /api/health
        if (keys.Digests.Length == 0 || IsAnonymous(path, options))
        {
            return null;
        }

        var presented = Presented(context.Request);
        if (presented.IsEmpty)
        {
            throw new ApiException(HttpStatusCode.Unauthorized, "invalid_request_error", "missing_api_key",
                "Authorization required: send 'Authorization: Bearer <API key>' (or 'x-api-key: <API key>').");
        }

        Span<byte> presentedDigest = stackalloc byte[SHA256.HashSizeInBytes];
        Digest(presented, presentedDigest);
        var matched = -1;
        for (var i = 0; i < keys.Digests.Length; i++)
        {
            // No early exit: the time taken must not depend on which key (if any) matched.
            var equal = CryptographicOperations.FixedTimeEquals(presentedDigest, keys.Digests[i]);
            matched = equal ? i : matched;
        }

        return matched >= 0
            ? keys.Ids[matched]
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

    public static string KeyId(string key) => IdOf(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Health always, the docs unless Proxy:RequireApiKeyForDocs: no key asked (the OpenAPI document reads it too).</summary>
    public static bool IsAnonymous(string path, ProxyOptions options)
    {
        foreach (var p in AnonymousPaths)
        {
            if (path.Equals(p, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        if (!options.RequireApiKeyForDocs)
        {
            foreach (var p in DocsPaths)
            {
                if (path.StartsWith(p, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The configured keys' digests and ids, computed once per options instance (a settings change makes a new one).
    /// Only digests are kept: the keys themselves stay where the options already hold them.
    /// </summary>
    private KeySet KeysOf(ProxyOptions options)
    {
        var keys = _keys;
        if (keys is null || !ReferenceEquals(keys.Source, options))
        {
            var configured = options.ParseApiKeys();
            var digests = new byte[configured.Count][];
            var ids = new string[configured.Count];
            for (var i = 0; i < configured.Count; i++)
            {
                digests[i] = SHA256.HashData(Encoding.UTF8.GetBytes(configured[i]));
                ids[i] = IdOf(digests[i]);
            }

            keys = new KeySet(options, digests, ids);
            _keys = keys; // a race builds the same set twice; either copy is right
        }

        return keys;
    }

    private static string IdOf(byte[] digest) => "key_" + Convert.ToHexStringLower(digest.AsSpan(0, 6));

    /// <summary>The presented key, trimmed, as a slice of the header value (empty when none is sent).</summary>
    private static ReadOnlySpan<char> Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization.AsSpan("Bearer ".Length).Trim();
        }

        var alt = request.Headers["x-api-key"].ToString();
        if (alt.Length == 0)
        {
            alt = request.Headers["api-key"].ToString();
        }

        return alt.AsSpan().Trim();
    }

    private static void Digest(ReadOnlySpan<char> value, Span<byte> digest)
    {
        // Keys are short; a long header value takes a pooled buffer instead of the stack. Either is wiped after use.
        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        Span<byte> buffer = length <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(length));
        var written = 0;
        try
        {
            written = Encoding.UTF8.GetBytes(value, buffer);
            SHA256.HashData(buffer[..written], digest);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer[..written]);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private sealed record KeySet(ProxyOptions Source, byte[][] Digests, string[] Ids);
}
