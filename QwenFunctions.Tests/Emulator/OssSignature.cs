using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace QwenFunctions.Tests.Emulator;

/// <summary>OSS V1 (HMAC-SHA1) request signing, as the OSS server checks it (§6.10.2 option A).</summary>
public static class OssSignature
{
    /// <summary>
    /// StringToSign = VERB \n Content-MD5 \n Content-Type \n Date \n CanonicalizedOSSHeaders + CanonicalizedResource,
    /// where CanonicalizedOSSHeaders are the lower-cased <c>x-oss-*</c> headers sorted, each as <c>name:value\n</c>,
    /// and CanonicalizedResource is <c>/bucket/key</c>.
    /// </summary>
    public static string StringToSign(string verb, string contentMd5, string contentType, string date,
        IEnumerable<KeyValuePair<string, string>> ossHeaders, string bucket, string key)
    {
        var canonicalHeaders = string.Concat(ossHeaders
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: h.Value.Trim()))
            .Where(h => h.Name.StartsWith("x-oss-", StringComparison.Ordinal))
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .Select(h => $"{h.Name}:{h.Value}\n"));
        return $"{verb}\n{contentMd5}\n{contentType}\n{date}\n{canonicalHeaders}/{bucket}/{key}";
    }

    /// <summary>Base64(HMAC-SHA1(secret, stringToSign)).</summary>
    public static string Sign(string accessKeySecret, string stringToSign) =>
        Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(accessKeySecret), Encoding.UTF8.GetBytes(stringToSign)));

    internal static string StringToSign(HttpRequest request, string bucket, string key) =>
        StringToSign(
            request.Method,
            request.Headers.ContentMD5.ToString(),
            request.Headers.ContentType.ToString(),
            request.Headers.Date.ToString(),
            request.Headers.Select(h => new KeyValuePair<string, string>(h.Key, h.Value.ToString())),
            bucket,
            key);
}
