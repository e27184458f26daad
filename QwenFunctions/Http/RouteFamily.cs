using Microsoft.AspNetCore.Http;

namespace QwenFunctions.Http;

/// <summary>Which error vocabulary a route speaks: OpenAI clients parse the envelope, native clients ProblemDetails.</summary>
public static class RouteFamily
{
    // The seed strips /v1 after /api, so these bare routes are OpenAI routes too.
    private static readonly string[] OpenAIAliases = ["/api/chat/completions", "/api/models", "/api/images/generations", "/api/responses"];

    public static bool IsOpenAI(PathString path)
    {
        var value = path.Value ?? "";
        return value.StartsWith("/api/v1/", StringComparison.OrdinalIgnoreCase)
            || value.Equals("/api/v1", StringComparison.OrdinalIgnoreCase)
            || OpenAIAliases.Any(a => value.Equals(a, StringComparison.OrdinalIgnoreCase) || value.StartsWith(a + "/", StringComparison.OrdinalIgnoreCase));
    }
}
