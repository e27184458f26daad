using System.Net;
using System.Text.Json;

namespace QwenFunctions.Upstream;

/// <summary>
/// Finds the error in an upstream answer. chat.qwen.ai often answers HTTP 200 with the real status in
/// x-actual-status-code and the error in the body, so both the status and the body are checked.
/// </summary>
public static class UpstreamErrorClassifier
{
    private static readonly string[] WafMarkers = ["aliyun_waf", "captcha", "baxia", "punish", "x5sec", "FAIL_SYS_USER_VALIDATE", "RGV587"];

    /// <summary>Classifies a complete (non-stream) answer; null when it is a success.</summary>
    public static QwenUpstreamException? Classify(HttpStatusCode httpStatus, int? actualStatus, string? mediaType, string body)
    {
        var status = actualStatus is >= 400 ? actualStatus.Value : (int)httpStatus;
        if (mediaType is "text/html" || (body.TrimStart().StartsWith('<') && ContainsWafMarker(body)))
        {
            return ContainsWafMarker(body) || status is 405 or 403 && !body.Contains("Unauthorized", StringComparison.OrdinalIgnoreCase)
                ? new QwenUpstreamException(UpstreamErrorKind.Waf, "WAF challenge page") { UpstreamStatus = status }
                : FromStatus(status, "HTML answer") ?? new QwenUpstreamException(UpstreamErrorKind.Transient, "Unexpected HTML answer") { UpstreamStatus = status };
        }

        if (TryParse(body, out var json))
        {
            using (json)
            {
                var fromBody = ClassifyJson(json!.RootElement, status);
                if (fromBody is not null)
                {
                    return fromBody;
                }
            }
        }

        return FromStatus(status, Truncate(body));
    }

    /// <summary>Classifies one JSON event of a stream or a JSON body; null when it carries no error.</summary>
    public static QwenUpstreamException? ClassifyJson(JsonElement root, int? status = null)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (root.TryGetProperty("ret", out var ret) && ret.ValueKind == JsonValueKind.Array && ContainsWafMarker(ret.GetRawText()))
        {
            return new QwenUpstreamException(UpstreamErrorKind.Waf, "WAF challenge (ret)") { UpstreamStatus = status };
        }

        if (root.TryGetProperty("error", out var error))
        {
            return error.ValueKind switch
            {
                JsonValueKind.String => FromCode(null, error.GetString(), null, status),
                JsonValueKind.Object => FromCode(Str(error, "code"), Str(error, "details") ?? Str(error, "message"), Num(error, "num"), status),
                _ => null,
            };
        }

        var success = root.TryGetProperty("success", out var s) && s.ValueKind == JsonValueKind.False;
        var data = root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : (JsonElement?)null;
        if (success || (data is { } dd && Str(dd, "code") is not null && !root.TryGetProperty("choices", out _)))
        {
            var source = data ?? root;
            return FromCode(Str(source, "code"), Str(source, "details") ?? Str(source, "detail") ?? Str(source, "message"), Num(source, "num"), status)
                ?? new QwenUpstreamException(UpstreamErrorKind.Transient, "Upstream answered success=false") { UpstreamStatus = status };
        }

        // Older flat form: {"code":"RateLimited","detail":…,"num":4}
        if (Str(root, "code") is { } flatCode && !root.TryGetProperty("choices", out _))
        {
            return FromCode(flatCode, Str(root, "detail") ?? Str(root, "details"), Num(root, "num"), status);
        }

        return null;
    }

    public static QwenUpstreamException? FromStatus(int status, string? detail) => status switch
    {
        401 or 403 => new QwenUpstreamException(UpstreamErrorKind.Unauthorized, $"HTTP {status}") { UpstreamStatus = status },
        429 => new QwenUpstreamException(UpstreamErrorKind.RateLimited, "HTTP 429") { UpstreamStatus = status },
        404 => new QwenUpstreamException(UpstreamErrorKind.NotFound, detail ?? "not found") { UpstreamStatus = status },
        405 => new QwenUpstreamException(UpstreamErrorKind.Waf, "HTTP 405 (blocked)") { UpstreamStatus = status },
        408 => new QwenUpstreamException(UpstreamErrorKind.Timeout, "HTTP 408") { UpstreamStatus = status },
        >= 500 => new QwenUpstreamException(UpstreamErrorKind.Transient, $"HTTP {status}") { UpstreamStatus = status },
        >= 400 => new QwenUpstreamException(UpstreamErrorKind.BadRequest, detail ?? $"HTTP {status}") { UpstreamStatus = status },
        _ => null,
    };

    private static QwenUpstreamException? FromCode(string? code, string? details, double? num, int? status)
    {
        var text = (code + " " + details).Trim();
        UpstreamErrorKind? kind = code switch
        {
            "RateLimited" or "rate_limit_exceeded" or "TooManyRequests" => UpstreamErrorKind.RateLimited,
            "Unauthorized" or "unauthorized" or "Forbidden" => UpstreamErrorKind.Unauthorized,
            "data_inspection_failed" => UpstreamErrorKind.ContentFilter,
            "invalid_input" => UpstreamErrorKind.InvalidInput,
            "CHAT_IN_PROGRESS" => UpstreamErrorKind.ChatInProgress,
            "Not_Found" or "CHAT_NOT_FOUND" or "NotFound" => UpstreamErrorKind.NotFound,
            "Bad_Request" when details is not null && details.Contains("internal error", StringComparison.OrdinalIgnoreCase) => UpstreamErrorKind.Transient,
            "Bad_Request" or "RequestValidationError" or "internal_error" => UpstreamErrorKind.BadRequest,
            _ => null,
        };

        kind ??= text switch
        {
            _ when Has(text, "Token has expired") || Has(text, "Unauthorized") => UpstreamErrorKind.Unauthorized,
            _ when Has(text, "quota exceeded") || Has(text, "upper limit") => UpstreamErrorKind.RateLimited,
            _ when Has(text, "is not exist") => UpstreamErrorKind.NotFound,
            _ when ContainsWafMarker(text) => UpstreamErrorKind.Waf,
            _ when Has(text, "Internal error") || Has(text, "overload") || Has(text, "temporarily unavailable") => UpstreamErrorKind.Transient,
            _ when status is { } st && FromStatus(st, null) is { } byStatus => byStatus.Kind,
            _ when text.Length > 0 => UpstreamErrorKind.Transient,
            _ => null,
        };

        return kind is null ? null : new QwenUpstreamException(kind.Value, Truncate(text) ?? kind.Value.ToString())
        {
            UpstreamCode = code,
            RetryAfterHours = num,
            UpstreamStatus = status,
        };
    }

    private static bool TryParse(string body, out JsonDocument? json)
    {
        json = null;
        if (string.IsNullOrWhiteSpace(body))
        {
            return false;
        }

        try
        {
            json = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool ContainsWafMarker(string text) => WafMarkers.Any(m => text.Contains(m, StringComparison.OrdinalIgnoreCase));

    private static bool Has(string text, string value) => text.Contains(value, StringComparison.OrdinalIgnoreCase);

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static double? Num(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.Number => v.GetDouble(),
            JsonValueKind.String when double.TryParse(v.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        } : null;

    // Upstream error texts are short; bodies (WAF pages) are not. Keep log lines and client messages small.
    private static string? Truncate(string? text) => text is null ? null : text.Length <= 300 ? text : text[..300] + "…";
}
