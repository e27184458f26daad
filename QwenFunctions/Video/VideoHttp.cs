using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using QwenFunctions.Http;

namespace QwenFunctions.Video;

/// <summary>
/// Error rendering for the video functions: the OpenAI envelope under /api/v1, ProblemDetails elsewhere.
/// Kept in one place so it can be swapped for the shared Http error writer without touching the functions.
/// </summary>
internal static class VideoHttp
{
    public static async Task<IResult> RunAsync(HttpRequest request, Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (ApiException ex)
        {
            return Error(request, ex);
        }
    }

    public static IResult Error(HttpRequest request, ApiException ex) => new ErrorResult(ex, RouteFamily.IsOpenAI(request.Path));

    private sealed class ErrorResult(ApiException ex, bool openAI) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = (int)ex.Status;
            if (ex.RetryAfter is { } wait)
            {
                response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            if (ex.ShouldRetry is { } retry)
            {
                response.Headers["x-should-retry"] = retry ? "true" : "false";
            }

            object body;
            if (openAI)
            {
                response.ContentType = "application/json; charset=utf-8";
                body = new { error = new { message = ex.Message, type = ex.Type, param = ex.Param, code = ex.Code } };
            }
            else
            {
                response.ContentType = "application/problem+json; charset=utf-8";
                body = new Dictionary<string, object?>
                {
                    ["type"] = "https://httpstatuses.io/" + (int)ex.Status,
                    ["title"] = ReasonPhrases.GetReasonPhrase((int)ex.Status),
                    ["status"] = (int)ex.Status,
                    ["detail"] = ex.Message,
                    ["instance"] = httpContext.Request.Path.Value,
                    ["code"] = ex.Code,
                    ["param"] = ex.Param,
                };
            }

            await JsonSerializer.SerializeAsync(response.Body, body, body.GetType(), JsonSerializerOptions.Web, httpContext.RequestAborted);
        }
    }
}
