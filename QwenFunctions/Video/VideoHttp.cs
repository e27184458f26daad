using Microsoft.AspNetCore.Http;
using QwenFunctions.Http;

namespace QwenFunctions.Video;

/// <summary>
/// Renders service errors inside the function, in the route family's shape (<see cref="ApiErrorWriter"/>), so a video
/// function answers correctly even when called without the worker middleware (tests, a future admin host).
/// </summary>
internal static class VideoHttp
{
    public static async Task<IResult> RunAsync(HttpRequest request, CancellationToken cancellationToken, Func<CancellationToken, Task<IResult>> action)
    {
        using var cancel = RequestCancellation.Link(request, cancellationToken);
        try
        {
            return await action(cancel.Token);
        }
        catch (ApiException ex)
        {
            return new ErrorResult(ex);
        }
    }

    private sealed class ErrorResult(ApiException error) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            RequestIdentity.Ensure(httpContext);
            return ApiErrorWriter.WriteAsync(httpContext, error);
        }
    }
}
