using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QwenFunctions.Http;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Http;

public sealed class ApiKeyGateTests(QwenEmulatorFixture fx) : IClassFixture<QwenEmulatorFixture>
{
    private const string Key1 = "sk-proxy-key-one";
    private const string Key2 = "sk-proxy-key-two";

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 0)]
    public async Task HostStart_KeysConfiguredOrNot_WarnsAtStartOnlyWhenTheApiIsOpen(bool withKeys, int warnings)
    {
        var settings = TestSettings.For(fx.Emulator);
        await using var server = await FunctionsTestServer.StartAsync(withKeys ? settings.With("API_KEYS", Key1) : settings);

        // No request yet: the warning must come from starting the host.
        Assert.Equal(warnings, server.Logs.GetSnapshot().Count(r => r.Id.Id == 1001 && r.Level == LogLevel.Warning));
    }

    [Theory]
    [InlineData("api/status")]
    [InlineData("api/v1/models")]
    [InlineData("api/health")]
    public async Task NoKeysConfigured_EveryRoute_IsOpen(string path)
    {
        await using var server = await FunctionsTestServer.StartAsync(TestSettings.For(fx.Emulator));

        var response = await server.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task NoKeysConfigured_HostStart_LogsThatTheApiIsOpen()
    {
        await using var server = await FunctionsTestServer.StartAsync(TestSettings.For(fx.Emulator));

        Assert.Contains(server.Logs.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Category == typeof(ApiKeyGate).FullName);
    }

    [Fact]
    public async Task KeysConfigured_HostStart_LogsNoOpenApiWarning()
    {
        await using var server = await StartWithKeysAsync();

        Assert.DoesNotContain(server.Logs.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Category == typeof(ApiKeyGate).FullName);
    }

    [Theory]
    [InlineData("api/v1/models")]
    [InlineData("api/models")]
    [InlineData("api/v1/models/qwen3.6-plus")]
    public async Task KeysConfigured_OpenAIRouteWithoutKey_Answers401Envelope(string path)
    {
        await using var server = await StartWithKeysAsync();

        var response = await server.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("missing_api_key", error.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.True(response.Headers.Contains("x-request-id"));
    }

    [Theory]
    [InlineData("GET", "api/status")]
    [InlineData("POST", "api/chats")]
    public async Task KeysConfigured_NativeRouteWithoutKey_Answers401Problem(string method, string path)
    {
        await using var server = await StartWithKeysAsync();

        var response = await server.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(401, body.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("missing_api_key", body.RootElement.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("Authorization", "Bearer sk-wrong")]
    [InlineData("Authorization", "Bearer " + Key1 + "x")]
    [InlineData("x-api-key", "sk-proxy-key-on")]
    public async Task KeysConfigured_WrongKey_Answers401InvalidApiKey(string header, string value)
    {
        await using var server = await StartWithKeysAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/models");
        request.Headers.TryAddWithoutValidation(header, value);

        var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_api_key", body.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("Authorization", "Bearer " + Key1)]
    [InlineData("Authorization", "bearer " + Key2)]
    [InlineData("x-api-key", Key1)]
    [InlineData("api-key", Key2)]
    public async Task KeysConfigured_AnyConfiguredKeyInAnySupportedHeader_IsAccepted(string header, string value)
    {
        await using var server = await StartWithKeysAsync();

        foreach (var path in new[] { "api/v1/models", "api/status" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation(header, value);
            var response = await server.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("api/health")]
    [InlineData("api/HEALTH")]
    [InlineData("api/health/")]
    public async Task KeysConfigured_Health_StaysAnonymous(string path)
    {
        await using var server = await StartWithKeysAsync();

        var response = await server.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/openapi/v3.json")]
    [InlineData("/api/swagger.json")]
    [InlineData("/api/swagger/ui")]
    public async Task KeysConfigured_DocsRoutes_StayAnonymous(string path)
    {
        await using var server = await StartWithKeysAsync();
        var gate = server.Services.GetRequiredService<ApiKeyGate>();
        var context = new DefaultHttpContext { Request = { Path = path } };

        Assert.Null(gate.Authorize(context));
    }

    [Fact]
    public async Task KeysConfigured_AcceptedKey_IsIdentifiedByHashNeverByValue()
    {
        await using var server = await StartWithKeysAsync();
        var gate = server.Services.GetRequiredService<ApiKeyGate>();
        var context = new DefaultHttpContext();
        context.Request.Path = "/api/status";
        context.Request.Headers.Authorization = "Bearer " + Key1;

        var keyId = gate.Authorize(context);

        Assert.Equal(ApiKeyGate.KeyId(Key1), keyId);
        Assert.DoesNotContain(Key1, keyId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysConfigured_SettingChangedAtRuntime_NewKeyAcceptedOldRefused()
    {
        await using var server = await StartWithKeysAsync();
        Assert.Equal(HttpStatusCode.OK, await StatusWithKeyAsync(server, Key1));

        var configuration = (IConfigurationRoot)server.Services.GetRequiredService<IConfiguration>();
        configuration["API_KEYS"] = "sk-proxy-key-three";
        configuration.Reload();

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithKeyAsync(server, Key1));
        Assert.Equal(HttpStatusCode.OK, await StatusWithKeyAsync(server, "sk-proxy-key-three"));
    }

    private static async Task<HttpStatusCode> StatusWithKeyAsync(FunctionsTestServer server, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/models");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        using var response = await server.Client.SendAsync(request);
        return response.StatusCode;
    }

    private Task<FunctionsTestServer> StartWithKeysAsync() =>
        FunctionsTestServer.StartAsync(TestSettings.For(fx.Emulator, fx.Emulator.AddAccount().Token).With("API_KEYS", $" {Key1} , {Key2} "));
}
