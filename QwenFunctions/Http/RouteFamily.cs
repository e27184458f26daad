using Microsoft.AspNetCore.Http;

namespace QwenFunctions.Http;

/// <summary>
/// Which error vocabulary a route speaks: OpenAI clients parse the envelope, Anthropic clients Anthropic's error
/// object, native clients ProblemDetails.
/// </summary>
public enum ErrorShape
{
    Problem,
    OpenAI,
    Anthropic,
}

public static class RouteFamily
{
    /// <summary>Anthropic SDKs send it on every request; the shared model list answers their shape when it is there.</summary>
    public const string AnthropicVersionHeader = "anthropic-version";

    // The seed strips /v1 after /api, so these bare routes are OpenAI routes too.
    private static readonly string[] OpenAIAliases = ["/api/chat/completions", "/api/models", "/api/images/generations", "/api/responses"];
    private static readonly string[] AnthropicRoutes = ["/api/v1/messages"];
    private static readonly string[] SharedModelRoutes = ["/api/v1/models", "/api/models"];

    public static bool IsOpenAI(PathString path)
    {
        var value = path.Value ?? "";
        return value.StartsWith("/api/v1/", StringComparison.OrdinalIgnoreCase)
            || value.Equals("/api/v1", StringComparison.OrdinalIgnoreCase)
            || OpenAIAliases.Any(a => Under(value, a));
    }

    /// <summary>The error shape a route answers, by path alone (what the OpenAPI document can know).</summary>
    public static ErrorShape ShapeOf(PathString path) =>
        IsAnthropic(path) ? ErrorShape.Anthropic : IsOpenAI(path) ? ErrorShape.OpenAI : ErrorShape.Problem;

    /// <summary>The Messages API routes (path only: what the OpenAPI document can know).</summary>
    public static bool IsAnthropic(PathString path) => AnthropicRoutes.Any(a => Under(path.Value ?? "", a));

    /// <summary>An Anthropic route, or the model list asked for by an Anthropic client (it sends anthropic-version).</summary>
    public static bool IsAnthropic(HttpRequest request) =>
        IsAnthropic(request.Path)
        || (request.Headers.ContainsKey(AnthropicVersionHeader) && SharedModelRoutes.Any(a => Under(request.Path.Value ?? "", a)));

    private static bool Under(string path, string route) =>
        path.Equals(route, StringComparison.OrdinalIgnoreCase) || path.StartsWith(route + "/", StringComparison.OrdinalIgnoreCase);
    /// <summary>
    /// The surface (openai, anthropic, responses, native), the route family (chat, images, files, videos, models,
    /// status, docs, conversations, other) and the GenAI operation name of a path: metric attributes, so a few
    /// fixed values, never a path with ids in it.
    /// </summary>
    public static (string Surface, string Family, string? Operation) Describe(PathString path)
    {
        var value = (path.Value ?? "").ToLowerInvariant();
        var surface = value.StartsWith("/api/v1/messages", StringComparison.Ordinal) ? "anthropic"
            : value.StartsWith("/api/v1/responses", StringComparison.Ordinal) ? "responses"
            : IsOpenAI(path) ? "openai"
            : "native";
        var family = value switch
        {
            _ when value.Contains("/chat/completions", StringComparison.Ordinal) || value == "/api/chat"
                || surface is "anthropic" or "responses" => "chat",
            _ when value.Contains("/images", StringComparison.Ordinal) => "images",
            _ when value.Contains("/files", StringComparison.Ordinal) => "files",
            _ when value.Contains("/videos", StringComparison.Ordinal) || value.Contains("/tasks/", StringComparison.Ordinal) => "videos",
            _ when value.Contains("/models", StringComparison.Ordinal) => "models",
            _ when value.Contains("/chats", StringComparison.Ordinal) => "conversations",
            _ when value is "/api/status" or "/api/health" => "status",
            _ when value.Contains("/openapi", StringComparison.Ordinal) || value.Contains("/swagger", StringComparison.Ordinal) => "docs",
            _ => "other",
        };
        var operation = family switch
        {
            "chat" => "chat",
            "images" or "videos" => "generate_content",
            _ => null,
        };
        return (surface, family, operation);
    }
}
