using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using QwenFunctions.Configuration;
using QwenFunctions.Http;

namespace QwenFunctions.Files;

/// <summary>A downloaded body with the type the server declared.</summary>
public sealed record DownloadedContent(ChunkedBuffer Content, string? ContentType);

/// <summary>
/// Fetches images from URLs a client gave us or the upstream produced, with a size cap and a timeout, and never from
/// internal addresses: the connect callback checks every resolved address, so redirects and DNS rebinding are covered too.
/// </summary>
public sealed class SafeDownloader(HttpClient http, IOptionsMonitor<FilesOptions> options, IOptionsMonitor<QwenOptions> qwen)
{
    private static readonly HttpRequestOptionsKey<bool> TrustedUpstream = new("qwen.trustedUpstream");

    /// <param name="fromUpstream">
    /// The URL came from the upstream's own answer (a generated image), not from a client. When it points at the
    /// configured upstream host itself (QWEN_BASE_URL, or Qwen:OssEndpoint) the operator already trusts that host, so
    /// it may be plain http or on a private address (a simulator on loopback). Client URLs never get this.
    /// </param>
    /// <param name="maxBytes">A lower cap than Files:MaxDownloadBytes for this download (what is left of a request's budget).</param>
    public async Task<DownloadedContent> DownloadAsync(Uri url, string param, CancellationToken cancellationToken, bool fromUpstream = false, long? maxBytes = null)
    {
        var settings = options.CurrentValue;
        var limit = Math.Min(settings.MaxDownloadBytes, maxBytes ?? long.MaxValue);
        var trusted = fromUpstream && IsConfiguredUpstream(url);
        if (url.Scheme != Uri.UriSchemeHttps && !((settings.AllowPrivateNetworkDownloads || trusted) && url.Scheme == Uri.UriSchemeHttp))
        {
            throw ApiException.BadRequest("Only https image URLs can be fetched.", param, "invalid_image_url");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.DownloadTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Options.Set(TrustedUpstream, trusted);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw ApiException.BadRequest($"The image URL answered HTTP {(int)response.StatusCode}.", param, "image_download_failed");
            }

            if (response.Content.Headers.ContentLength > limit)
            {
                throw TooLarge(limit, param);
            }

            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            var content = await ChunkedBuffer.ReadAsync(body, limit, timeout.Token);
            return new DownloadedContent(content, response.Content.Headers.ContentType?.MediaType);
        }
        catch (UploadTooLargeException)
        {
            throw TooLarge(limit, param);
        }
        catch (HttpRequestException ex) when (ex.InnerException is BlockedAddressException blocked)
        {
            throw ApiException.BadRequest(blocked.Message, param, "image_url_not_allowed");
        }
        catch (HttpRequestException ex)
        {
            throw ApiException.BadRequest("The image URL could not be fetched: " + ex.HttpRequestError, param, "image_download_failed");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw ApiException.BadRequest($"The image URL did not answer within {settings.DownloadTimeout.TotalSeconds:0} s.", param, "image_download_timeout");
        }
    }

    private bool IsConfiguredUpstream(Uri url) => IsConfiguredUpstream(qwen.CurrentValue, url.Host, url.Port);

    private static bool IsConfiguredUpstream(QwenOptions settings, string host, int port) =>
        new[] { settings.BaseUrl, settings.OssEndpoint }
            .Any(configured => Uri.TryCreate(configured, UriKind.Absolute, out var upstream)
                && string.Equals(upstream.Host.Trim('[', ']'), host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase)
                && upstream.Port == port);

    private static ApiException TooLarge(long limit, string param) =>
        new(HttpStatusCode.RequestEntityTooLarge, "invalid_request_error", "image_too_large", $"The image is larger than the {limit} byte limit.", param);

    /// <summary>The primary handler: no proxy (it would hide the real target), no cookies, and the address check at connect time.</summary>
    /// <remarks>
    /// The upstream's trust holds for connections to the configured upstream only: the flag travels with the initial
    /// request through every redirect, so each hop's own host is checked again, and a redirect elsewhere meets the guard.
    /// </remarks>
    internal static SocketsHttpHandler CreateHandler(IOptionsMonitor<FilesOptions> options, IOptionsMonitor<QwenOptions> qwen) => new()
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 3,
        AutomaticDecompression = DecompressionMethods.All,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ConnectCallback = (context, cancellationToken) => ConnectAsync(
            context,
            options.CurrentValue.AllowPrivateNetworkDownloads
                || (context.InitialRequestMessage.Options.TryGetValue(TrustedUpstream, out var trusted) && trusted
                    && IsConfiguredUpstream(qwen.CurrentValue, context.DnsEndPoint.Host, context.DnsEndPoint.Port)),
            cancellationToken),
    };

    internal static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowPrivate, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = addresses.Where(a => allowPrivate || NetworkGuard.IsPublic(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new BlockedAddressException(host);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // Connect to the vetted addresses themselves: resolving again here would let DNS rebinding swap them.
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
