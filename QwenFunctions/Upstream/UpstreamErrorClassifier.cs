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
            // An HTML page is never the upstream's own credential answer (that is JSON): a gateway's 401/403 page must
            // not invalidate an account.
            return ContainsWafMarker(body) || status is 405 or 403
                ? new QwenUpstreamException(UpstreamErrorKind.Waf, "WAF challenge page") { UpstreamStatus = status }
                : FromStatus(status, "HTML answer", gateway: true) ?? new QwenUpstreamException(UpstreamErrorKind.Transient, "Unexpected HTML answer") { UpstreamStatus = status };
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

        // A body the upstream would not send (a gateway's own JSON or text) only tells the status, and a gateway
        // glitch is not the account's fault; an empty 401 is the upstream's bare answer (docs/upstream.md §7).
        return FromStatus(status, Truncate(body), gateway: !string.IsNullOrWhiteSpace(body));
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

    /// <param name="gateway">The body did not come from the upstream's API: a 401/403 then says nothing about the token.</param>
    public static QwenUpstreamException? FromStatus(int status, string? detail, bool gateway = false) => status switch
    {
        401 when !gateway => new QwenUpstreamException(UpstreamErrorKind.Unauthorized, "HTTP 401") { UpstreamStatus = status },
        401 or 403 => new QwenUpstreamException(UpstreamErrorKind.Transient, $"HTTP {status} without the upstream's credential answer") { UpstreamStatus = status },
        429 => new QwenUpstreamException(UpstreamErrorKind.RateLimited, "HTTP 429") { UpstreamStatus = status },
        404 => new QwenUpstreamException(UpstreamErrorKind.NotFound, detail ?? "not found") { UpstreamStatus = status },
        405 => new QwenUpstreamException(UpstreamErrorKind.Waf, "HTTP 405 (blocked)") { UpstreamStatus = status },
        408 => new QwenUpstreamException(UpstreamErrorKind.Timeout, "HTTP 408") { UpstreamStatus = status },
        >= 500 => new QwenUpstreamException(UpstreamErrorKind.Transient, $"HTTP {status}") { UpstreamStatus = status },
        >= 400 => new QwenUpstreamException(UpstreamErrorKind.BadRequest, detail ?? $"HTTP {status}") { UpstreamStatus = status },
        _ => null,
    };

    /// <summary>
    /// The upstream's own codes (docs/upstream.md §7 and §10.5) decide; details only refine a known code. Free text
    /// never makes a token invalid: only the Unauthorized code does (or a bare 401, see <see cref="FromStatus"/>).
    /// </summary>
    private static QwenUpstreamException? FromCode(string? code, string? details, double? num, int? status)
    {
        var text = (code + " " + details).Trim();
        UpstreamErrorKind? kind = code switch
        {
            "RateLimited" or "rate_limit_exceeded" or "TooManyRequests" => UpstreamErrorKind.RateLimited,
            "Unauthorized" or "unauthorized" => UpstreamErrorKind.Unauthorized,
            "data_inspection_failed" => UpstreamErrorKind.ContentFilter,
            "invalid_input" => UpstreamErrorKind.InvalidInput,
            "CHAT_IN_PROGRESS" => UpstreamErrorKind.ChatInProgress,
            "PARENT_NOT_FOUND" => UpstreamErrorKind.ParentNotFound,
            "Bad_Request" or "Not_Found" when IsStaleParent(details) => UpstreamErrorKind.ParentNotFound,
            "Bad_Request" when Has(details, "chat is in progress") || Has(details, "chat is still in progress") => UpstreamErrorKind.ChatInProgress,
            "Not_Found" or "CHAT_NOT_FOUND" or "NotFound" => UpstreamErrorKind.NotFound,
            // "internal error" (transient, §7) and the anti-bot "Internal error..." refusal on completions (§10.5).
            "Bad_Request" when Has(details, "internal error") => UpstreamErrorKind.Transient,
            // The model service's quota text, also inside a stream as internal_error (§10.3): rotate like a 429.
            "internal_error" or null when Has(details, "quota exceeded") => UpstreamErrorKind.RateLimited,
            "Bad_Request" or "RequestValidationError" or "internal_error" => UpstreamErrorKind.BadRequest,
            _ => null,
        };

        kind ??= text switch
        {
            _ when ContainsWafMarker(text) => UpstreamErrorKind.Waf,
            _ when status is { } st && st != 401 && FromStatus(st, null) is { } byStatus => byStatus.Kind,
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

    private static bool IsStaleParent(string? details) => Has(details, "parent") && Has(details, "is not exist");

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

    private static bool Has(string? text, string value) => text?.Contains(value, StringComparison.OrdinalIgnoreCase) == true;

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
