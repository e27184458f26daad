using QwenFunctions.Docs;

namespace QwenFunctions.Tests.Docs;

public sealed class OpenApiServerUrlTests
{
    [Fact]
    public void From_PlainRequest_UsesSchemeHostAndRoutePrefix()
    {
        var request = OpenApiTestDocuments.Request("localhost:7071");

        Assert.Equal("http://localhost:7071/api", OpenApiServerUrl.From(request, "api"));
    }

    [Fact]
    public void From_ForwardedHeaders_UsesWhatTheClientSaw()
    {
        var request = OpenApiTestDocuments.Request("localhost:5555");
        request.Headers["X-Forwarded-Proto"] = "https";
        request.Headers["X-Forwarded-Host"] = "qwen.azurewebsites.net";
        request.Headers["X-Forwarded-Prefix"] = "/gateway/qwen/";

        Assert.Equal("https://qwen.azurewebsites.net/gateway/qwen/api", OpenApiServerUrl.From(request, "api"));
    }

    [Fact]
    public void From_SeveralProxies_TakesTheFirstValue()
    {
        var request = OpenApiTestDocuments.Request("internal:80");
        request.Headers["X-Forwarded-Proto"] = "https, http";
        request.Headers["X-Forwarded-Host"] = "public.example.com, internal:80";

        Assert.Equal("https://public.example.com/api", OpenApiServerUrl.From(request, "api"));
    }

    [Theory]
    [InlineData("X-Forwarded-Proto", "javascript")]
    [InlineData("X-Forwarded-Host", "evil.example/\"><script>")]
    [InlineData("X-Forwarded-Prefix", "no-leading-slash")]
    [InlineData("X-Forwarded-Prefix", "/a/../b")]
    public void From_MalformedForwardedHeader_IsIgnored(string header, string value)
    {
        var request = OpenApiTestDocuments.Request("localhost:7071");
        request.Headers[header] = value;

        Assert.Equal("http://localhost:7071/api", OpenApiServerUrl.From(request, "api"));
    }
}
