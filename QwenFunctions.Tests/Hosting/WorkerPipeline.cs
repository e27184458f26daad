using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using QwenFunctions.Http;

namespace QwenFunctions.Tests.Hosting;

/// <summary>
/// One invocation as the worker runs it: the app's <see cref="HttpPipeline"/> (what HttpPipelineMiddleware runs:
/// request id, API-key gate, exception mapping) around the function, then the returned result executed outside it,
/// as FunctionsHttpProxyingMiddleware (the outermost worker middleware) does.
/// </summary>
internal static class WorkerPipeline
{
    public static async Task RunAsync(HttpContext http, HttpFunction function, IReadOnlyDictionary<Type, Func<HttpContext, object?>> bindings)
    {
        object? result = null;
        var pipeline = http.RequestServices.GetRequiredService<HttpPipeline>();
        await pipeline.RunAsync(http, async () => result = await FunctionInvoker.InvokeAsync(function, http, bindings));
        if (!http.RequestAborted.IsCancellationRequested)
        {
            await FunctionInvoker.ExecuteResultAsync(result, http);
        }
    }
}
