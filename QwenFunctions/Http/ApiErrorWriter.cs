using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace QwenFunctions.Http;

/// <summary>Renders an <see cref="ApiException"/> in the route family's shape, with Retry-After and x-should-retry.</summary>
public static class ApiErrorWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static Task WriteAsync(HttpContext context, ApiException error)
    {
        var response = context.Response;
        response.StatusCode = (int)error.Status;
        ApplyHeaders(response, error);
        if (RouteFamily.IsAnthropic(context.Request))
        {
            response.StatusCode = AnthropicErrorBody.Classify(error).Status;
            response.ContentType = "application/json";
            return response.WriteAsync(AnthropicErrorBody.Json(error, RequestIdentity.Get(context)), context.RequestAborted);
        }

        if (RouteFamily.IsOpenAI(context.Request.Path))
        {
            var envelope = new OpenAIErrorEnvelope(new OpenAIError(error.Message, error.Type, error.Param, error.Code));
            return response.WriteAsJsonAsync(envelope, Json, "application/json", context.RequestAborted);
        }

        return response.WriteAsJsonAsync(ToProblem(context, error), Json, "application/problem+json", context.RequestAborted);
    }

    /// <summary>The envelope as one line of JSON, for an in-band SSE error event.</summary>
    public static string OpenAIEnvelopeJson(ApiException error) =>
        JsonSerializer.Serialize(new OpenAIErrorEnvelope(new OpenAIError(error.Message, error.Type, error.Param, error.Code)));

    public static void ApplyHeaders(HttpResponse response, ApiException error)
    {
        if (error.RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (error.ShouldRetry is { } shouldRetry)
        {
            response.Headers["x-should-retry"] = shouldRetry ? "true" : "false";
        }
    }

    public static ProblemDetails ToProblem(HttpContext context, ApiException error)
    {
        var status = (int)error.Status;
        var problem = new ProblemDetails
        {
            Type = $"https://www.rfc-editor.org/rfc/rfc9110#status.{status}",
            Title = ReasonPhrases.GetReasonPhrase(status),
            Status = status,
            Detail = error.Message,
            Instance = context.Request.Path,
        };
        problem.Extensions["code"] = error.Code ?? error.Type;
        if (error.Param is not null)
        {
            problem.Extensions["param"] = error.Param;
        }

        problem.Extensions["requestId"] = RequestIdentity.Get(context);
        return problem;
    }

    /// <summary>The OpenAI error body: `param` and `code` are JSON null when absent, never the string "None".</summary>
    public sealed record OpenAIErrorEnvelope([property: JsonPropertyName("error")] OpenAIError Error);

    public sealed record OpenAIError(
        [property: JsonPropertyName("message")] string Message,
        [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("param")] string? Param,
        [property: JsonPropertyName("code")] string? Code);
}
