using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.DependencyInjection;

namespace QwenFunctions.Http;

/// <summary>Worker middleware adapter for <see cref="HttpPipeline"/>; non-HTTP triggers (durable) pass straight through.</summary>
public sealed class HttpPipelineMiddleware : IFunctionsWorkerMiddleware
{
    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.GetHttpContext();
        if (http is null)
        {
            return next(context);
        }

        var pipeline = context.InstanceServices.GetRequiredService<HttpPipeline>();
        return pipeline.RunAsync(http, () => next(context));
    }
}
