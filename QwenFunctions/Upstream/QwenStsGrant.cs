using System.Text.Json;

namespace QwenFunctions.Upstream;

/// <summary>Temporary OSS credentials and the object slot the upstream reserved for one file (docs/upstream.md §6.10.1).</summary>
public sealed record QwenStsGrant(
    string AccessKeyId,
    string AccessKeySecret,
    string SecurityToken,
    string Bucket,
    string? Region,
    string? Endpoint,
    string FileId,
    string FilePath,
    string FileUrl)
{
    /// <summary>Reads the flat (v1) or data-wrapped (v2) answer; null when a required field is missing.</summary>
    public static QwenStsGrant? Parse(JsonElement root)
    {
        var data = root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : root;
        string? S(params string[] names)
        {
            foreach (var name in names)
            {
                if (data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s)
                {
                    return s;
                }
            }

            return null;
        }

        var keyId = S("access_key_id", "accessKeyId", "AccessKeyId");
        var secret = S("access_key_secret", "accessKeySecret", "AccessKeySecret");
        var token = S("security_token", "securityToken", "SecurityToken", "stsToken");
        var bucket = S("bucketname", "bucket_name", "bucket");
        var fileId = S("file_id", "fileId");
        var filePath = S("file_path", "filePath");
        if (keyId is null || secret is null || token is null || bucket is null || fileId is null || filePath is null)
        {
            return null;
        }

        // A file_path may start with the bucket name; the object key never does.
        var key = filePath.TrimStart('/');
        if (key.StartsWith(bucket + "/", StringComparison.Ordinal))
        {
            key = key[(bucket.Length + 1)..];
        }

        return new QwenStsGrant(keyId, secret, token, bucket, S("region"), S("endpoint"), fileId, key, S("file_url", "fileUrl", "url") ?? "");
    }

    /// <summary>The virtual-hosted OSS host: the endpoint field, else the region ("ap-southeast-1" and "oss-ap-southeast-1" both seen).</summary>
    public string Host
    {
        get
        {
            if (Endpoint is { Length: > 0 } endpoint)
            {
                var bare = endpoint.Contains("://", StringComparison.Ordinal) ? new Uri(endpoint).Host : endpoint.TrimEnd('/');
                return $"{Bucket}.{bare}";
            }

            var region = Region is { Length: > 0 } r ? (r.StartsWith("oss-", StringComparison.Ordinal) ? r : "oss-" + r) : "oss-ap-southeast-1";
            return $"{Bucket}.{region}.aliyuncs.com";
        }
    }
}
