using System.Net.Http.Json;
using System.Text;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;
using QwenFunctions.Tests.Status;

namespace QwenFunctions.Tests.Http;

/// <summary>No token, cookie or API key may reach a log line or a response, whatever fails.</summary>
public sealed class SecretRedactionTests
{
    private const string ApiKey1 = "sk-redaction-key-1-9f8e7d";
    private const string ApiKey2 = "sk-redaction-key-2-6c5b4a";
    private const string CookieValue = "acw-cookie-secret-3d2c1b";

    [Fact]
    public async Task FailingRequests_LogsAndResponses_ContainNoTokenCookieOrApiKey()
    {
        await using var emulator = await QwenEmulator.StartAsync();
        var jwt = emulator.AddAccount(StatusFunctionsTests.Jwt(DateTimeOffset.UtcNow.AddDays(1))).Token;
        var plain = emulator.AddAccount("plain-token-0a1b2c3d4e5f").Token;
        var withCookies = emulator.AddAccount("cookie-account-token-7a8b9c").Token;
        var settings = TestSettings.For(emulator, jwt, plain)
            .With("Qwen:Accounts:0:Token", withCookies)
            .With("Qwen:Accounts:0:Cookies", $"acw_tc={CookieValue}")
            .With("API_KEYS", $"{ApiKey1},{ApiKey2}");
        await using var server = await FunctionsTestServer.StartAsync(settings);
        var client = server.Client;
        client.DefaultRequestHeaders.Authorization = new("Bearer", ApiKey1);
        var transcript = new StringBuilder();

        async Task Send(HttpRequestMessage request)
        {
            using var response = await client.SendAsync(request);
            transcript.AppendLine(response.ToString()).AppendLine(await response.Content.ReadAsStringAsync());
        }

        Task Get(string path) => Send(new HttpRequestMessage(HttpMethod.Get, path));
        Task CreateChat() => Send(new HttpRequestMessage(HttpMethod.Post, "api/chats") { Content = JsonContent.Create(new { model = "qwen3.6-plus" }) });

        // The models call fails in every account-related way, then the catalog falls back.
        emulator.Faults.Enqueue(Fault.Unauthorized(asHttpStatus: true), endpoint: EmulatorEndpoint.Models);
        await Get("api/v1/models");
        await Get("api/v1/models/not-a-model");

        // Chat creation: rate limit, rejected token, WAF, bare 500s, error envelopes, then a revoked token.
        foreach (var fault in new[]
        {
            Fault.RateLimited(num: 2), Fault.Unauthorized(), Fault.WafJson(), Fault.WafHtml(403), Fault.HttpStatus(500, "upstream exploded"),
            Fault.Error("Bad_Request", "internal error", 400), Fault.Unauthorized(asHttpStatus: true),
        })
        {
            emulator.Faults.Enqueue(fault, endpoint: EmulatorEndpoint.ChatsNew);
            await CreateChat();
        }

        emulator.Revoke(plain);
        await CreateChat();
        await CreateChat();
        await Get("api/status");

        // Wrong and missing API keys, in each header form.
        client.DefaultRequestHeaders.Authorization = null;
        var wrong = new HttpRequestMessage(HttpMethod.Get, "api/status");
        wrong.Headers.TryAddWithoutValidation("x-api-key", ApiKey1 + "-wrong");
        await Send(wrong);
        await Get("api/v1/models");

        var logs = new StringBuilder();
        foreach (var record in server.Logs.GetSnapshot())
        {
            logs.AppendLine(record.Message).AppendLine(record.Exception?.ToString());
            foreach (var (key, value) in record.StructuredState ?? [])
            {
                logs.Append(key).Append('=').AppendLine(value);
            }
        }

        Assert.NotEmpty(server.Logs.GetSnapshot());
        Assert.Equal(0, emulator.Faults.Pending); // every fault was hit
        Assert.Contains("marked invalid", logs.ToString(), StringComparison.Ordinal);
        foreach (var secret in new[] { jwt, plain, withCookies, CookieValue, ApiKey1, ApiKey2, jwt.Split('.')[1] })
        {
            Assert.DoesNotContain(secret, transcript.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, logs.ToString(), StringComparison.Ordinal);
        }
    }
}
