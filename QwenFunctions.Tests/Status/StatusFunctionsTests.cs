using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using QwenFunctions.Accounts;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Status;

public sealed class StatusFunctionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Health_NoSettings_AnswersOk()
    {
        await using var server = await FunctionsTestServer.StartAsync(new Dictionary<string, string?>());

        var response = await server.Client.GetAsync("api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"ok"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Status_NoTokenConfigured_SaysHowToFixIt()
    {
        await using var server = await FunctionsTestServer.StartAsync(new Dictionary<string, string?>());

        using var status = await GetStatusAsync(server);

        var root = status.RootElement;
        Assert.False(root.GetProperty("authenticated").GetBoolean());
        Assert.Equal(0, root.GetProperty("totalAccounts").GetInt32());
        Assert.Equal("No token configured: set QWEN_TOKENS", root.GetProperty("message").GetString());
        Assert.Empty(root.GetProperty("accounts").EnumerateArray());
        Assert.False(root.GetProperty("state").GetProperty("shared").GetBoolean());
    }

    [Fact]
    public async Task Status_HealthyAccounts_ListsFingerprintsAndExpiryButNoToken()
    {
        var expiring = Jwt(exp: Now.AddDays(3));
        await using var server = await FunctionsTestServer.StartAsync(new Dictionary<string, string?> { ["QWEN_TOKENS"] = $"plain-token-a,{expiring}" });

        var text = await (await server.Client.GetAsync("api/status")).Content.ReadAsStringAsync();
        using var status = JsonDocument.Parse(text);

        var root = status.RootElement;
        Assert.True(root.GetProperty("authenticated").GetBoolean());
        Assert.Equal(2, root.GetProperty("validAccounts").GetInt32());
        Assert.Equal("Tokens available", root.GetProperty("message").GetString());
        var accounts = root.GetProperty("accounts").EnumerateArray().ToArray();
        Assert.Equal(QwenAccount.Fingerprint("plain-token-a"), accounts[0].GetProperty("id").GetString());
        Assert.Equal("Account 1", accounts[0].GetProperty("name").GetString());
        Assert.Equal("OK", accounts[0].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, accounts[0].GetProperty("tokenExpiresAt").ValueKind);
        Assert.Equal(Now.AddDays(3), accounts[1].GetProperty("tokenExpiresAt").GetDateTimeOffset());
        Assert.DoesNotContain("plain-token-a", text);
        Assert.DoesNotContain(expiring.Split('.')[1], text);
    }

    [Fact]
    public async Task Status_CoolingDownAndInvalidAccounts_ReportsSeedStatusesAndFeatureDetail()
    {
        var time = new FakeTimeProvider(Now);
        await using var server = await FunctionsTestServer.StartAsync(
            new Dictionary<string, string?> { ["QWEN_TOKENS"] = "token-a,token-b,token-c" },
            o => o.ConfigureServices = s => s.AddSingleton<TimeProvider>(time));
        var pool = server.Services.GetRequiredService<AccountPool>();
        await pool.CoolDownAsync(pool.Accounts[0], QwenFeature.Chat, TimeSpan.FromHours(5), "RateLimited", default);
        await pool.CoolDownAsync(pool.Accounts[1], QwenFeature.Video, TimeSpan.FromHours(2), "RateLimited", default);
        await pool.InvalidateAsync(pool.Accounts[2], "token expired", default);

        using var status = await GetStatusAsync(server);

        var accounts = status.RootElement.GetProperty("accounts").EnumerateArray().ToArray();
        Assert.Equal("RATE_LIMITED", accounts[0].GetProperty("status").GetString());
        Assert.Equal(Now.AddHours(5), accounts[0].GetProperty("resetAt").GetDateTimeOffset());
        Assert.Equal(Now.AddHours(5), accounts[0].GetProperty("features").GetProperty("chat").GetProperty("coolingDownUntil").GetDateTimeOffset());
        Assert.Equal("RateLimited", accounts[0].GetProperty("lastError").GetString());
        Assert.Equal("OK", accounts[1].GetProperty("status").GetString());
        Assert.Equal(Now.AddHours(2), accounts[1].GetProperty("features").GetProperty("video").GetProperty("coolingDownUntil").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, accounts[1].GetProperty("features").GetProperty("chat").GetProperty("coolingDownUntil").ValueKind);
        Assert.Equal("INVALID", accounts[2].GetProperty("status").GetString());
        Assert.True(accounts[2].GetProperty("invalid").GetBoolean());
        Assert.Equal(2, status.RootElement.GetProperty("validAccounts").GetInt32());

        time.Advance(TimeSpan.FromHours(6));
        using var later = await GetStatusAsync(server);
        Assert.Equal("OK", later.RootElement.GetProperty("accounts")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Status_AllAccountsInvalid_SaysNoValidTokens()
    {
        await using var server = await FunctionsTestServer.StartAsync(new Dictionary<string, string?> { ["QWEN_TOKEN"] = "token-a" });
        var pool = server.Services.GetRequiredService<AccountPool>();
        await pool.InvalidateAsync(pool.Accounts[0], "revoked", default);

        using var status = await GetStatusAsync(server);

        Assert.False(status.RootElement.GetProperty("authenticated").GetBoolean());
        Assert.Equal("No valid tokens available", status.RootElement.GetProperty("message").GetString());
    }

    private static async Task<JsonDocument> GetStatusAsync(FunctionsTestServer server)
    {
        var response = await server.Client.GetAsync("api/status");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    internal static string Jwt(DateTimeOffset exp)
    {
        static string Part(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{Part("""{"alg":"HS256"}""")}.{Part($$"""{"id":"user-1","exp":{{exp.ToUnixTimeSeconds()}}}""")}.c2lnbmF0dXJl";
    }
}
