using System.Security.Cryptography;
using System.Text;

namespace QwenFunctions.Files;

/// <summary>
/// Alibaba OSS signature V1 (HMAC-SHA1): Authorization = "OSS " + AccessKeyId + ":" + Base64(HMAC-SHA1(secret, StringToSign)),
/// StringToSign = VERB \n Content-MD5 \n Content-Type \n Date \n CanonicalizedOSSHeaders CanonicalizedResource.
/// </summary>
public static class OssV1Signer
{
    /// <param name="ossHeaders">x-oss-* headers; names are lower-cased and sorted, each becomes "name:value\n".</param>
    /// <param name="resource">"/bucket/key" with the key not URL-encoded (plus a sub-resource query when there is one).</param>
    public static string BuildStringToSign(string verb, string? contentMd5, string? contentType, string date, IEnumerable<KeyValuePair<string, string>> ossHeaders, string resource)
    {
        var builder = new StringBuilder()
            .Append(verb).Append('\n')
            .Append(contentMd5).Append('\n')
            .Append(contentType).Append('\n')
            .Append(date).Append('\n');
        foreach (var (name, value) in ossHeaders
                     .Select(h => (Name: h.Key.Trim().ToLowerInvariant(), Value: h.Value.Trim()))
                     .Where(h => h.Name.StartsWith("x-oss-", StringComparison.Ordinal))
                     .OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }

        return builder.Append(resource).ToString();
    }

    public static string Sign(string accessKeySecret, string stringToSign) =>
        Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(accessKeySecret), Encoding.UTF8.GetBytes(stringToSign)));

    public static string AuthorizationHeader(string accessKeyId, string accessKeySecret, string stringToSign) =>
        $"OSS {accessKeyId}:{Sign(accessKeySecret, stringToSign)}";
}
