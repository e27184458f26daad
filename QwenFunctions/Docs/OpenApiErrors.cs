using System.Net;
using Microsoft.AspNetCore.Mvc;
using QwenFunctions.Http;

namespace QwenFunctions.Docs;

/// <summary>The three error vocabularies as documented: media type and body type per route family, and the usual descriptions.</summary>
public static class OpenApiErrors
{
    public const string Json = "application/json";
    public const string ProblemJson = "application/problem+json";
    public const string EventStream = "text/event-stream";
    public const string Multipart = "multipart/form-data";

    public static (string MediaType, Type Body) Of(ErrorShape shape) => shape switch
    {
        ErrorShape.OpenAI => (Json, typeof(ApiErrorWriter.OpenAIErrorEnvelope)),
        ErrorShape.Anthropic => (Json, typeof(AnthropicErrorBody.AnthropicErrorEnvelope)),
        _ => (ProblemJson, typeof(ApiProblemDetails)),
    };

    /// <summary>Statuses whose answers carry Retry-After and x-should-retry.</summary>
    public static bool SaysWhenToRetry(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or (HttpStatusCode)AnthropicErrorBody.OverloadedStatus;

    public static string Describe(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => "Invalid request (param names the field at fault).",
        HttpStatusCode.Unauthorized => "Missing or unknown API key (only when API keys are configured).",
        HttpStatusCode.NotFound => "Not found.",
        HttpStatusCode.Conflict => "Not in a state that allows this (e.g. the job has not completed).",
        HttpStatusCode.RequestEntityTooLarge => "Body larger than the configured limit.",
        HttpStatusCode.UnsupportedMediaType => "Wrong content type.",
        HttpStatusCode.TooManyRequests => "Every account is cooling down or rate limited, or this API key reached its own request limit.",
        HttpStatusCode.BadGateway => "chat.qwen.ai failed or answered something unusable.",
        HttpStatusCode.ServiceUnavailable => "No usable account is configured, or upstream is unavailable.",
        HttpStatusCode.GatewayTimeout => "chat.qwen.ai did not answer in time.",
        (HttpStatusCode)AnthropicErrorBody.OverloadedStatus => "Overloaded: no account can serve the request now.",
        _ => "Error.",
    };

    /// <summary>The OpenAI-style stream (chat completions, native chat and images).</summary>
    public static string DataEvents(string eventSchema) =>
        $"Server-Sent Events. Each event is one line `data: <{eventSchema} as JSON>` and a blank line. Lines starting with `:` are heartbeats. " +
        $"A failure after the stream started arrives as one `data: {{\"error\":{{…}}}}` event ({nameof(ApiErrorWriter.OpenAIErrorEnvelope)}). The stream ends with `data: [DONE]`.";

    /// <summary>What the pipeline's client limit answers (State:ClientLimits) on a route no function documents 429 for.</summary>
    public const string ClientLimit = "This API key made more requests this minute than its limit (State:ClientLimits:RequestsPerMinute) allows.";
}

/// <summary>RFC 9457 problem details (native routes), with the members <see cref="ApiErrorWriter.ToProblem"/> adds.</summary>
public sealed class ApiProblemDetails : ProblemDetails
{
    /// <summary>Machine-readable code, the same values as the OpenAI envelope's code.</summary>
    public string? Code { get; init; }

    /// <summary>The request parameter at fault, when there is one.</summary>
    public string? Param { get; init; }

    /// <summary>Also in the x-request-id header; quote it when reporting a problem.</summary>
    public string? RequestId { get; init; }
}
