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
    private static readonly string[] OpenAIAliases =
        [Routes.PathOf(Routes.ChatCompletions), Routes.PathOf(Routes.Models), Routes.PathOf(Routes.ImageGenerations), Routes.PathOf(Routes.Responses)];
    private static readonly string[] AnthropicRoutes = [Routes.PathOf(Routes.Messages)];
    private static readonly string[] SharedModelRoutes = [Routes.PathOf(Routes.ModelsV1), Routes.PathOf(Routes.Models)];
    private static readonly string V1Path = Routes.PathOf(Routes.V1);

    public static bool IsOpenAI(PathString path)
    {
        var value = path.Value ?? "";
        return Under(value, V1Path) || OpenAIAliases.Any(a => Under(value, a));
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

    private static bool Has(string lowerPath, string route) => lowerPath.Contains("/" + route, StringComparison.Ordinal);

    /// <summary>
    /// The surface (openai, anthropic, responses, native), the route family (chat, images, files, videos, models,
    /// status, docs, conversations, other) and the GenAI operation name of a path: metric attributes, so a few
    /// fixed values, never a path with ids in it.
    /// </summary>
    public static (string Surface, string Family, string? Operation) Describe(PathString path)
    {
        var value = (path.Value ?? "").ToLowerInvariant();
        var surface = value.StartsWith(Routes.PathOf(Routes.Messages), StringComparison.Ordinal) ? "anthropic"
            : value.StartsWith(Routes.PathOf(Routes.ResponsesV1), StringComparison.Ordinal) ? "responses"
            : IsOpenAI(path) ? "openai"
            : "native";
        var family = value switch
        {
            _ when Has(value, Routes.ChatCompletions) || value == Routes.PathOf(Routes.Chat)
                || surface is "anthropic" or "responses" => "chat",
            _ when Has(value, Routes.Images) => "images",
            _ when Has(value, Routes.Files) => "files",
            _ when Has(value, Routes.Videos) || Has(value, Routes.Tasks + "/") => "videos",
            _ when Has(value, Routes.Models) => "models",
            _ when Has(value, Routes.Chats) => "conversations",
            _ when value == Routes.PathOf(Routes.Status) || value == Routes.PathOf(Routes.Health) => "status",
            _ when Has(value, Routes.OpenApi) || Has(value, Routes.Swagger) => "docs",
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
