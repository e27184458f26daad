using Anthropic;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Anthropic;

/// <summary>The official Anthropic .NET SDK pointed at the app the way users configure it: base URL <c>…/api</c>.</summary>
internal static class AnthropicSdkClient
{
    public static AnthropicClient For(EmulatedApp app, string? apiKey = "sk-ant-unused", string? authToken = null) => new()
    {
        BaseUrl = new Uri(app.Server.BaseAddress, "api").ToString().TrimEnd('/'),
        ApiKey = apiKey,
        AuthToken = authToken,
        MaxRetries = 0, // the SDK would otherwise retry 429/5xx answers the tests assert on
    };
}
