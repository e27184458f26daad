using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Models;

public sealed class ModelsFunctionsTests(QwenEmulatorFixture fx) : IClassFixture<QwenEmulatorFixture>
{
    [Theory]
    [InlineData("api/v1/models")]
    [InlineData("api/models")]
    public async Task ListModels_UpstreamReachable_ListsLiveModelsAndThinkingVariants(string path)
    {
        await using var server = await FunctionsTestServer.StartAsync(TestSettings.For(fx.Emulator, fx.Emulator.AddAccount().Token));

        var response = await server.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("list", body.RootElement.GetProperty("object").GetString());
        var data = body.RootElement.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(
            ["qwen3.6-plus", "qwen3.6-plus-thinking", "qwen3.6-max", "qwen3.6-max-thinking", "qwen3.5-flash"],
            data.Select(m => m.GetProperty("id").GetString()));
        Assert.All(data, m =>
        {
            Assert.Equal("model", m.GetProperty("object").GetString());
            Assert.Equal("qwen", m.GetProperty("owned_by").GetString());
            Assert.True(m.GetProperty("created").GetInt64() > 0);
        });
    }

    [Fact]
    public async Task ListModels_WithinTtl_AsksTheUpstreamOnceThenAgainAfterTtl()
    {
        await using var emulator = await QwenEmulator.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await FunctionsTestServer.StartAsync(
            TestSettings.For(emulator).With("Proxy:ModelsCacheTtl", "00:10:00"),
            o => o.ConfigureServices = s => s.AddSingleton<TimeProvider>(time));

        await server.Client.GetStringAsync("api/v1/models");
        await server.Client.GetStringAsync("api/models");
        time.Advance(TimeSpan.FromMinutes(11));
        emulator.Options.Models.Add(new EmulatorModel("qwen3.8-max", "Qwen3.8-Max", ["t2t"], Thinking: false));
        var refreshed = await server.Client.GetStringAsync("api/v1/models");

        Assert.Equal(2, emulator.Requests.Count(r => r.Path == "/api/models"));
        Assert.Contains("\"qwen3.8-max\"", refreshed);
    }

    [Fact]
    public async Task ListModels_UpstreamFailsAfterTtl_KeepsServingTheLastLiveList()
    {
        var account = fx.Emulator.AddAccount();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await FunctionsTestServer.StartAsync(
            TestSettings.For(fx.Emulator, account.Token),
            o => o.ConfigureServices = s => s.AddSingleton<TimeProvider>(time));
        await server.Client.GetStringAsync("api/v1/models");

        fx.Emulator.Faults.SetSticky(account.Token, Fault.HttpStatus(502), EmulatorEndpoint.Models);
        time.Advance(TimeSpan.FromHours(2));
        var body = await server.Client.GetStringAsync("api/v1/models");

        Assert.Contains("\"qwen3.6-plus\"", body);
        Assert.DoesNotContain("\"qwen3-max\"", body);
    }

    [Fact]
    public async Task ListModels_AccountTokenRejected_StillListsLiveModelsAnonymously()
    {
        var account = fx.Emulator.AddAccount();
        fx.Emulator.Faults.SetSticky(account.Token, Fault.Unauthorized(), EmulatorEndpoint.Models);
        await using var server = await FunctionsTestServer.StartAsync(TestSettings.For(fx.Emulator, account.Token));

        var body = await server.Client.GetStringAsync("api/v1/models");

        Assert.Contains("\"qwen3.6-plus\"", body);
        Assert.DoesNotContain("\"qwen3-max\"", body);
    }

    [Fact]
    public async Task ListModels_UpstreamUnreachable_ServesTheSeedList()
    {
        var settings = new Dictionary<string, string?> { ["QWEN_BASE_URL"] = "http://127.0.0.1:1/", ["QWEN_TOKENS"] = "token-a" };
        await using var server = await FunctionsTestServer.StartAsync(settings);

        var response = await server.Client.GetAsync("api/v1/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var ids = body.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToArray();
        Assert.Equal(18, ids.Length);
        Assert.Equal("qwen3-max", ids[0]);
        Assert.Contains("qwen2.5-72b-instruct", ids);
    }

    [Theory]
    [InlineData("api/v1/models/qwen3.6-plus", "qwen3.6-plus")]
    [InlineData("api/v1/models/qwen3.6-max-thinking", "qwen3.6-max-thinking")]
    [InlineData("api/models/Qwen3.5-Flash", "qwen3.5-flash")]
    [InlineData("api/v1/models/gpt-4o", "gpt-4o")]
    public async Task GetModel_KnownIdVariantOrAlias_ReturnsTheModelObject(string path, string expectedId)
    {
        await using var server = await FunctionsTestServer.StartAsync(TestSettings.For(fx.Emulator, fx.Emulator.AddAccount().Token));

        var response = await server.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(expectedId, body.RootElement.GetProperty("id").GetString());
        Assert.Equal("model", body.RootElement.GetProperty("object").GetString());
        Assert.Equal("qwen", body.RootElement.GetProperty("owned_by").GetString());
    }

    [Theory]
    [InlineData("api/v1/models/no-such-model")]
    [InlineData("api/models/no-such-model")]
    [InlineData("api/v1/models/qwen3.5-flash-thinking-extra")]
    public async Task GetModel_UnknownId_Answers404ModelNotFoundInTheOpenAIEnvelope(string path)
    {
        await using var server = await FunctionsTestServer.StartAsync(TestSettings.For(fx.Emulator, fx.Emulator.AddAccount().Token));

        var response = await server.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("model", error.GetProperty("param").GetString());
        Assert.Contains(path.Split('/')[^1], error.GetProperty("message").GetString() ?? "", StringComparison.Ordinal);
    }
}
