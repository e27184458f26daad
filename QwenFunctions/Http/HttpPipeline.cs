using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using QwenFunctions.Telemetry;

namespace QwenFunctions.Http;

/// <summary>
/// What every HTTP function goes through: request id, API-key check, and the safety net that turns exceptions into
/// the route family's error body. Plain class so the worker middleware and the test host run the same code.
/// </summary>
public sealed class HttpPipeline(ApiKeyGate gate, IRequestLimiter limiter, QwenMetrics metrics, TimeProvider time, ILogger<HttpPipeline> logger)
{
    public const string AttemptsHeader = "x-qwen-attempts";
    public const string OverheadHeader = "x-qwen-overhead-ms";

    public async Task RunAsync(HttpContext context, Func<Task> next)
    {
        RequestIdentity.Ensure(context);
        var (surface, family, operation) = RouteFamily.Describe(context.Request.Path);
        var telemetry = RequestTelemetry.Begin(surface, family, operation, time);
        context.Response.OnStarting(static state =>
        {
            var (response, request) = ((HttpResponse, RequestTelemetry))state;
            response.Headers[AttemptsHeader] = request.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.Headers[OverheadHeader] = request.Overhead.TotalMilliseconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        }, (context.Response, telemetry));
        try
        {
            await RunGuardedAsync(context, next);
        }
        finally
        {
            metrics.RequestFinished(telemetry, context.Response.StatusCode, Outcome(context), telemetry.Elapsed);
        }
    }

    private async Task RunGuardedAsync(HttpContext context, Func<Task> next)
    {
        try
        {
            var keyId = gate.Authorize(context);
            context.Items[ApiKeyItem] = keyId;
            RequestCaller.Set(CallerId(context));
            if (!ApiKeyGate.IsUnmetered(context.Request.Path))
            {
                await limiter.AcquireRequestAsync(keyId, context.RequestAborted);
            }

            await next();
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            Log.ClientAborted(logger, context.Request.Method, context.Request.Path);
        }
        catch (Exception ex) when (Map(ex) is { } error)
        {
            if (context.Response.HasStarted)
            {
                // Streaming functions report their own in-band errors; the status can no longer change here.
                Log.FailedAfterStart(logger, context.Request.Method, context.Request.Path, error.Code);
                return;
            }

            if ((int)error.Status >= 500 && ex is not ApiException)
            {
                Log.Unhandled(logger, ex, context.Request.Method, context.Request.Path);
            }
            else
            {
                Log.ClientError(logger, context.Request.Method, context.Request.Path, (int)error.Status, error.Code);
            }

            context.Response.Clear();
            RequestIdentity.Ensure(context);
            await ApiErrorWriter.WriteAsync(context, error);
        }
    }

    /// <summary>Who owns what an open API's callers create: all of them, as one caller.</summary>
    public const string AnonymousCaller = "anonymous";

    /// <summary>
    /// The owner of what this request creates or reads (video jobs, chats, files): the caller's API key id, never the
    /// key; <see cref="AnonymousCaller"/> when API_KEYS is unset. Another caller's ids answer 404, like unknown ones.
    /// </summary>
    public static string CallerId(HttpContext context) => ApiKeyId(context) ?? AnonymousCaller;
    /// <summary>success, client_error, rate_limited, server_error, or cancelled when the client went away first.</summary>
    private static string Outcome(HttpContext context) => context.RequestAborted.IsCancellationRequested
        ? "cancelled"
        : context.Response.StatusCode switch
        {
            429 => "rate_limited",
            >= 500 => "server_error",
            >= 400 => "client_error",
            _ => "success",
        };

    /// <summary>The caller's API key id, or null when the API is open.</summary>
    public static string? ApiKeyId(HttpContext context) => context.Items.TryGetValue(ApiKeyItem, out var id) ? id as string : null;

    private static readonly object ApiKeyItem = new();

    private static ApiException? Map(Exception ex) => ex switch
    {
        ApiException api => api,
        BadHttpRequestException { StatusCode: 413 } => new ApiException(HttpStatusCode.RequestEntityTooLarge, "invalid_request_error", "request_too_large", "The request body is too large."),
        BadHttpRequestException bad => new ApiException((HttpStatusCode)bad.StatusCode, "invalid_request_error", null, bad.Message),
        JsonException json => ApiException.BadRequest("The request body is not valid JSON: " + json.Message, code: "invalid_json"),
        OperationCanceledException => null,
        _ => new ApiException(HttpStatusCode.InternalServerError, "server_error", "internal_error", "An unexpected error occurred; quote the x-request-id when reporting it.", inner: ex),
    };
}
