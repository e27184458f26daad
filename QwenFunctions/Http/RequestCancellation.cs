using Microsoft.AspNetCore.Http;

namespace QwenFunctions.Http;

/// <summary>The one cancellation rule of the HTTP functions.</summary>
public static class RequestCancellation
{
    /// <summary>
    /// Cancelled when the client goes away (RequestAborted) or the host ends the invocation (the function's token),
    /// whichever comes first. Every HTTP function passes this token on, so a disconnect stops the upstream work on every route.
    /// </summary>
    public static CancellationTokenSource Link(HttpRequest request, CancellationToken invocation) =>
        CancellationTokenSource.CreateLinkedTokenSource(invocation, request.HttpContext.RequestAborted);
}
