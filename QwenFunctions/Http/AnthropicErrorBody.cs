using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace QwenFunctions.Http;

/// <summary>
/// An <see cref="ApiException"/> in Anthropic's vocabulary: <c>{"type":"error","error":{"type","message"},"request_id"}</c>
/// with the status Anthropic SDKs map to their exception classes. Everything that means "no account can serve this
/// now" is 529 <c>overloaded_error</c>, Anthropic's own signal for capacity; 429 is left to per-key limits.
/// </summary>
public static class AnthropicErrorBody
{
    public const int OverloadedStatus = 529;

    private static readonly HashSet<string> PoolExhaustedCodes =
        ["insufficient_quota", "no_accounts_configured", "no_valid_accounts", "upstream_unavailable", "upstream_empty_response", "upstream_blocked"];

    /// <summary>The status to answer and Anthropic's error type for it.</summary>
    public static (int Status, string Type) Classify(ApiException error)
    {
        var status = (int)error.Status;
        if (status == (int)HttpStatusCode.ServiceUnavailable || (error.Code is { } code && PoolExhaustedCodes.Contains(code)))
        {
            return (OverloadedStatus, "overloaded_error");
        }

        return (status, status switch
        {
            401 => "authentication_error",
            402 => "billing_error",
            403 => "permission_error",
            404 => "not_found_error",
            413 => "request_too_large",
            429 => "rate_limit_error",
            504 => "timeout_error",
            >= 500 => "api_error",
            _ => "invalid_request_error",
        });
    }

    public static string Json(ApiException error, string? requestId) =>
        JsonSerializer.Serialize(new AnthropicErrorEnvelope(new AnthropicErrorDetail(Classify(error).Type, error.Message), requestId));

    /// <summary>Anthropic's error object (Messages API routes, and /v1/models asked with anthropic-version); also a failed stream's `event: error`.</summary>
    public sealed record AnthropicErrorEnvelope(
        [property: JsonPropertyName("error")] AnthropicErrorDetail Error,
        [property: JsonPropertyName("request_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RequestId)
    {
        [JsonPropertyName("type")]
        [JsonPropertyOrder(-1)]
        public string Type => "error";
    }

    /// <param name="Type">invalid_request_error, authentication_error, permission_error, not_found_error, request_too_large, rate_limit_error, api_error, timeout_error or overloaded_error.</param>
    public sealed record AnthropicErrorDetail(
        [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("message")] string Message);
}
