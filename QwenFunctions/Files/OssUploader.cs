using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QwenFunctions.Configuration;
using QwenFunctions.Upstream;

namespace QwenFunctions.Files;

/// <summary>
/// PUTs a file into the Alibaba OSS slot an STS grant reserved, signed with V1 and the STS security token.
/// Qwen:OssEndpoint (a simulator) replaces the virtual-hosted bucket host with a path-style URL.
/// </summary>
public sealed class OssUploader(HttpClient http, IOptionsMonitor<QwenOptions> qwen, TimeProvider time, ILogger<OssUploader> logger)
{
    public async Task PutAsync(QwenStsGrant grant, ChunkedBuffer content, string contentType, CancellationToken cancellationToken)
    {
        var date = time.GetUtcNow().ToString("r", CultureInfo.InvariantCulture);
        var stringToSign = OssV1Signer.BuildStringToSign(
            "PUT", null, contentType, date, [new("x-oss-security-token", grant.SecurityToken)], $"/{grant.Bucket}/{grant.FilePath}");

        using var request = new HttpRequestMessage(HttpMethod.Put, ObjectUri(grant));
        request.Headers.Date = DateTimeOffset.ParseExact(date, "r", CultureInfo.InvariantCulture);
        request.Headers.TryAddWithoutValidation("x-oss-security-token", grant.SecurityToken);
        request.Headers.TryAddWithoutValidation("Authorization", OssV1Signer.AuthorizationHeader(grant.AccessKeyId, grant.AccessKeySecret, stringToSign));
        request.Content = new StreamContent(content.OpenRead());
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Content.Headers.ContentLength = content.Length;

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new QwenUpstreamException(UpstreamErrorKind.Transient, "The storage service is unreachable: " + ex.HttpRequestError, ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new QwenUpstreamException(UpstreamErrorKind.Timeout, "The upload to the storage service timed out.", ex);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            var status = (int)response.StatusCode;
            var code = OssErrorCode(await QwenApiClient.ReadBoundedAsync(response.Content, cancellationToken));
            Log.OssPutFailed(logger, status, code ?? "unknown");
            throw new QwenUpstreamException(status >= 500 ? UpstreamErrorKind.Transient : UpstreamErrorKind.BadRequest,
                $"The storage service refused the upload ({status} {code})")
            { UpstreamStatus = status, UpstreamCode = code };
        }
    }

    internal Uri ObjectUri(QwenStsGrant grant)
    {
        var key = string.Join('/', grant.FilePath.Split('/').Select(Uri.EscapeDataString));
        if (qwen.CurrentValue.OssEndpoint is { Length: > 0 } overrideEndpoint)
        {
            return new Uri($"{overrideEndpoint.TrimEnd('/')}/{grant.Bucket}/{key}");
        }

        // Real OSS names a host ("oss-accelerate.aliyuncs.com"); a simulator may answer a full URL instead, which
        // cannot carry the bucket as a subdomain, so it is addressed path-style like the override.
        if (Uri.TryCreate(grant.Endpoint, UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https")
        {
            return new Uri($"{grant.Endpoint!.TrimEnd('/')}/{grant.Bucket}/{key}");
        }

        return new Uri($"https://{grant.Host}/{key}");
    }

    private static string? OssErrorCode(string xml)
    {
        var start = xml.IndexOf("<Code>", StringComparison.Ordinal);
        var end = xml.IndexOf("</Code>", StringComparison.Ordinal);
        return start >= 0 && end > start ? xml[(start + 6)..end] : null;
    }
}
