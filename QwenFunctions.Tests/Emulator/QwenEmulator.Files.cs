using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace QwenFunctions.Tests.Emulator;

// STS tokens (§6.10.1), the OSS PUT with V1 signature check (§6.10.2), parse (§6.10.3) and fake CDN files.
public sealed partial class QwenEmulator
{
    private async Task StsTokenAsync(EmulatorRequest r, bool wrapped)
    {
        if (!await r.RequireAccountAsync() || await r.ApplyFaultAsync(EmulatorEndpoint.StsToken) || !await r.RequireVersionHeaderAsync()) return;
        var body = r.Json;
        var name = EmulatorJson.GetString(body, "filename") ?? EmulatorJson.GetString(body, "file_name");
        var type = EmulatorJson.GetString(body, "filetype") ?? EmulatorJson.GetString(body, "file_type");
        var size = body?["filesize"] ?? body?["file_size"];
        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(type) || size is null)
        {
            await r.WriteErrorAsync("Bad_Request", "Invalid file information!", 400);
            return;
        }
        var fileId = Guid.NewGuid().ToString();
        var key = $"{r.Account!.UserId}/{fileId}_{name}";
        var grant = new StsGrant(
            "STS.emu" + RandomToken(12), RandomToken(30), "CAIS" + RandomToken(40), Options.OssBucket, key, fileId, type,
            r.Account, r.Now.AddHours(1));
        _grantsByKeyId[grant.AccessKeyId] = grant;
        _grantsByFileId[fileId] = grant;
        var escapedKey = string.Join('/', key.Split('/').Select(Uri.EscapeDataString));
        var fields = new JsonObject
        {
            ["access_key_id"] = grant.AccessKeyId,
            ["access_key_secret"] = grant.AccessKeySecret,
            ["security_token"] = grant.SecurityToken,
            ["file_url"] = $"{OssEndpoint}/{grant.Bucket}/{escapedKey}?x-oss-date={r.Now:yyyyMMddTHHmmssZ}&x-oss-expires=300&x-oss-signature=emulated",
            ["file_path"] = key,
            ["file_id"] = fileId,
            ["bucketname"] = grant.Bucket,
            ["region"] = Options.OssRegion,
            ["endpoint"] = Options.StsEndpointField,
            ["expiration"] = grant.Expiration.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
        if (wrapped) await r.WriteSuccessAsync(fields);
        else await r.WriteJsonAsync(fields);
    }

    private async Task OssPutAsync(EmulatorRequest r, string bucket, string key)
    {
        if (await r.ApplyFaultAsync(EmulatorEndpoint.OssPut)) return;
        var auth = r.Http.Request.Headers.Authorization.ToString();
        var separator = auth.IndexOf(':', StringComparison.Ordinal);
        if (!auth.StartsWith("OSS ", StringComparison.Ordinal) || separator < 0)
        {
            await OssErrorAsync(r, 400, "InvalidArgument", "Authorization header is invalid.");
            return;
        }
        var keyId = auth[4..separator];
        if (!_grantsByKeyId.TryGetValue(keyId, out var grant))
        {
            await OssErrorAsync(r, 403, "InvalidAccessKeyId", "The OSS Access Key Id you provided does not exist in our records.");
            return;
        }
        if (r.Http.Request.Headers["x-oss-security-token"].ToString() != grant.SecurityToken || r.Now > grant.Expiration)
        {
            await OssErrorAsync(r, 403, "InvalidSecurityToken", "The security token you provided is invalid or expired.");
            return;
        }
        var stringToSign = OssSignature.StringToSign(r.Http.Request, bucket, key);
        if (auth[(separator + 1)..] != OssSignature.Sign(grant.AccessKeySecret, stringToSign))
        {
            await OssErrorAsync(r, 403, "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. Check your key and signing method.", stringToSign);
            return;
        }
        if (bucket != grant.Bucket || key != grant.Key)
        {
            await OssErrorAsync(r, 403, "AccessDenied", "You have no right to access this object because of bucket acl.");
            return;
        }
        _objects[$"{bucket}/{key}"] = new OssObject(bucket, key, grant.FileId, r.Http.Request.ContentType ?? "", r.BodyBytes, grant.Account.Token);
        r.Http.Response.Headers.ETag = $"\"{Convert.ToHexString(MD5.HashData(r.BodyBytes))}\"";
        r.Http.Response.Headers["x-oss-request-id"] = r.RequestId;
        r.Http.Response.StatusCode = 200;
    }

    private async Task OssGetAsync(EmulatorRequest r, string bucket, string key)
    {
        if (!_objects.TryGetValue($"{bucket}/{key}", out var stored))
        {
            await OssErrorAsync(r, 404, "NoSuchKey", "The specified key does not exist.");
            return;
        }
        r.Http.Response.ContentType = stored.ContentType;
        await r.WriteBytesAsync(stored.Content);
    }

    private async Task ParseAsync(EmulatorRequest r)
    {
        if (!await r.RequireAccountAsync() || await r.ApplyFaultAsync(EmulatorEndpoint.FileParse) || !await r.RequireVersionHeaderAsync()) return;
        var fileId = EmulatorJson.GetString(r.Json, "file_id");
        if (fileId is null || !_grantsByFileId.TryGetValue(fileId, out var grant) || grant.Account != r.Account)
        {
            await r.WriteErrorAsync("Not_Found", $"File {fileId} is not exist", 404);
            return;
        }
        _parsePolls[fileId] = 0;
        await r.WriteSuccessAsync(new JsonObject { ["file_id"] = fileId, ["status"] = "running" });
    }

    private async Task ParseStatusAsync(EmulatorRequest r)
    {
        if (!await r.RequireAccountAsync() || await r.ApplyFaultAsync(EmulatorEndpoint.FileParse) || !await r.RequireVersionHeaderAsync()) return;
        var ids = r.Json?["file_id_list"] is JsonArray list ? list.Select(n => n?.ToString() ?? "").ToArray() : [];
        var items = ids.Select(id =>
        {
            var status = _parsePolls.TryGetValue(id, out _)
                ? _parsePolls.AddOrUpdate(id, 1, (_, n) => n + 1) > Options.ParseRunningPolls ? "success" : "running"
                : "failed";
            return (JsonNode)new JsonObject { ["file_id"] = id, ["status"] = status };
        });
        await r.WriteSuccessAsync(new JsonArray(items.ToArray()));
    }

    private static async Task CdnAsync(EmulatorRequest r, string path)
    {
        if (path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            r.Http.Response.ContentType = "image/png";
            await r.WriteBytesAsync(Convert.FromBase64String(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="));
            return;
        }
        if (path.EndsWith(".mp4", StringComparison.OrdinalIgnoreCase))
        {
            r.Http.Response.ContentType = "video/mp4";
            await r.WriteBytesAsync([0, 0, 0, 0x18, .. "ftypmp42"u8.ToArray(), 0, 0, 0, 0, .. "mp42isom"u8.ToArray()]);
            return;
        }
        await r.WriteTextAsync("Not Found", "text/plain", 404);
    }

    private static Task OssErrorAsync(EmulatorRequest r, int status, string code, string message, string? stringToSign = null)
    {
        var xml = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <Error>
              <Code>{code}</Code>
              <Message>{System.Security.SecurityElement.Escape(message)}</Message>
              <RequestId>{r.RequestId}</RequestId>
              <HostId>{r.Http.Request.Host}</HostId>{(stringToSign is null ? "" : $"\n  <StringToSign>{System.Security.SecurityElement.Escape(stringToSign)}</StringToSign>")}
            </Error>
            """;
        r.Http.Response.Headers["x-oss-request-id"] = r.RequestId;
        return r.WriteTextAsync(xml, "application/xml", status);
    }

    private static string RandomToken(int length) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(length)).Replace('+', 'x').Replace('/', 'y').TrimEnd('=')[..length];

    private sealed record StsGrant(
        string AccessKeyId, string AccessKeySecret, string SecurityToken, string Bucket, string Key, string FileId, string FileType,
        EmulatorAccount Account, DateTimeOffset Expiration);
}

/// <summary>An object stored by an accepted OSS PUT.</summary>
/// <param name="Bucket">Bucket name.</param>
/// <param name="Key">Object key (the STS <c>file_path</c>).</param>
/// <param name="FileId">The STS <c>file_id</c>.</param>
/// <param name="ContentType">Content-Type of the PUT.</param>
/// <param name="Content">The bytes.</param>
/// <param name="OwnerToken">Token of the account the STS grant was issued to.</param>
public sealed record OssObject(string Bucket, string Key, string FileId, string ContentType, byte[] Content, string OwnerToken);
