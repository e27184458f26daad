using Microsoft.AspNetCore.Mvc;

namespace QwenFunctions.Http;

/// <summary>Lets a function return an error instead of throwing it.</summary>
public sealed class ApiErrorResult(ApiException error) : IActionResult
{
    public ApiException Error { get; } = error;

    public Task ExecuteResultAsync(ActionContext context) => ApiErrorWriter.WriteAsync(context.HttpContext, Error);
}
