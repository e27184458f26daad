using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Docs;

public sealed class SwaggerUiBrowserTests
{
    [ChromiumFact]
    public async Task SwaggerUi_InHeadlessChromium_RendersTheOperationsWithNoFailedRequests()
    {
        // The app keeps ASP.NET Core's per-request records below Warning; this test reads them to see every request the page made.
        await using var server = await FunctionsTestServer.StartAsync(new Dictionary<string, string?>(), o => o.ConfigureServices = services =>
            services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Information)));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var dom = await Chromium.DumpDomAsync(new Uri(server.BaseAddress, "api/swagger/ui"), timeout.Token);

        var operations = Regex.Matches(dom, "class=\"opblock opblock-(get|post|put|delete|patch)").Count;
        Assert.True(operations >= 4, $"Expected rendered operation blocks, found {operations}. DOM starts:\n{dom[..Math.Min(dom.Length, 2000)]}");
        Assert.Contains("/swagger/ui/{asset}", dom);
        var requests = FinishedRequests(server);
        Assert.All(requests, r => Assert.True(r.Status == "200", $"{r.Path} answered {r.Status}"));
        var paths = requests.Select(r => r.Path).ToList();
        Assert.Contains("/api/swagger/ui/swagger-ui-bundle.js", paths);
        Assert.Contains("/api/swagger/ui/swagger-ui.css", paths);
        Assert.Contains("/api/openapi/v3.json", paths);
    }

    [Fact]
    public async Task DocsRoutes_ApiKeysConfigured_StayAnonymous()
    {
        await using var server = await FunctionsTestServer.StartAsync(new Dictionary<string, string?> { ["API_KEYS"] = "sk-test" });

        foreach (var path in new[] { "api/openapi/v3.json", "api/swagger.json", "api/swagger/ui", "api/swagger/ui/swagger-ui-bundle.js" })
        {
            using var response = await server.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task DocsRoutes_RequireApiKeyForDocs_AnswerProblem401WithoutKeyAnd200WithIt()
    {
        await using var server = await FunctionsTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["API_KEYS"] = "sk-test",
            ["Proxy:RequireApiKeyForDocs"] = "true",
        });

        using var anonymous = await server.Client.GetAsync("api/swagger/ui");
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/openapi/v3.json") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "sk-test") } };
        using var authorized = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
    }

    [Fact]
    public async Task SwaggerUiAsset_OverHttp_DecompressesToTheBundleWithJavascriptContentType()
    {
        await using var server = await FunctionsTestServer.StartAsync(new Dictionary<string, string?>());
        using var client = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.GZip }) { BaseAddress = server.BaseAddress };

        using var response = await client.GetAsync("api/swagger/ui/swagger-ui-bundle.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("SwaggerUIBundle", await response.Content.ReadAsStringAsync());
    }

    /// <summary>Every request Kestrel finished, from ASP.NET Core's own "Request finished" log (it also sees 404s for unmapped paths).</summary>
    private static List<(string Path, string Status)> FinishedRequests(FunctionsTestServer server) => server.Logs.GetSnapshot()
        .Where(r => r.Category == "Microsoft.AspNetCore.Hosting.Diagnostics" && r.Id.Id == 2)
        .Select(r => (r.GetStructuredStateValue("Path") ?? "", r.GetStructuredStateValue("StatusCode") ?? ""))
        .ToList();
}
