using Microsoft.AspNetCore.Http;

namespace QwenFunctions.Tests.Hosting;

/// <summary>What the worker's middleware does around every HTTP invocation (API-key gate, exception mapping).</summary>
internal static class WorkerPipeline
{
    public static Task RunAsync(HttpContext http, HttpFunction function, Func<Task> invoke) => invoke();
}
