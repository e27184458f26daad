using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;
using QwenFunctions.Tests.Media;
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
        var (server, secrets) = await StartAsync(emulator);
        await using var _ = server;
        var transcript = new StringBuilder();
        var client = server.Client;
        client.DefaultRequestHeaders.Authorization = new("Bearer", ApiKey1);

        // The models call fails with a rejected token, then the catalog falls back.
        emulator.Faults.Enqueue(Fault.Unauthorized(asHttpStatus: true), endpoint: EmulatorEndpoint.Models);
        await SendAsync(client, Get("api/v1/models"), transcript);
        await SendAsync(client, Get("api/v1/models/not-a-model"), transcript);

        // Chat creation: rate limit, rejected token, WAF, bare 500s, error envelopes, then a revoked token.
        foreach (var fault in new[]
        {
            Fault.RateLimited(num: 2), Fault.Unauthorized(), Fault.WafJson(), Fault.WafHtml(403), Fault.HttpStatus(500, "upstream exploded"),
            Fault.Error("Bad_Request", "internal error", 400), Fault.Unauthorized(asHttpStatus: true),
        })
        {
            emulator.Faults.Enqueue(fault, endpoint: EmulatorEndpoint.ChatsNew);
            await SendAsync(client, CreateChat(), transcript);
        }

        emulator.Revoke(secrets.Plain);
        await SendAsync(client, CreateChat(), transcript);
        await SendAsync(client, CreateChat(), transcript);
        await SendAsync(client, Get("api/status"), transcript);

        // Wrong and missing API keys.
        client.DefaultRequestHeaders.Authorization = null;
        var wrong = Get("api/status");
        wrong.Headers.TryAddWithoutValidation("x-api-key", ApiKey1 + "-wrong");
        await SendAsync(client, wrong, transcript);
        await SendAsync(client, Get("api/v1/models"), transcript);

        Assert.Equal(0, emulator.Faults.Pending); // every fault was hit
        var logs = Logs(server);
        Assert.Contains("marked invalid", logs, StringComparison.Ordinal);
        AssertNoSecret(secrets, transcript.ToString(), logs);
    }

    [Fact]
    public async Task FailingImageAndFileRequests_LogsAndResponses_ContainNoTokenCookieOrApiKey()
    {
        await using var emulator = await QwenEmulator.StartAsync();
        var (server, secrets) = await StartAsync(emulator);
        await using var _ = server;
        var transcript = new StringBuilder();
        var client = server.Client;
        client.DefaultRequestHeaders.Authorization = new("Bearer", ApiKey2);

        foreach (var fault in new[] { Fault.RateLimited(num: 1, inStream: true), Fault.Unauthorized(), Fault.DataInspectionFailed(), Fault.EmptyStream() })
        {
            emulator.Faults.Enqueue(fault, endpoint: EmulatorEndpoint.ImageCompletion | EmulatorEndpoint.ChatsNew);
            await SendAsync(client, Post("api/v1/images/generations", new { prompt = "a kite", n = 1 }), transcript);
        }

        foreach (var (fault, endpoint) in new[] { (Fault.Unauthorized(), EmulatorEndpoint.StsToken), (Fault.HttpStatus(500), EmulatorEndpoint.OssPut) })
        {
            emulator.Faults.Enqueue(fault, endpoint: endpoint);
            var upload = new HttpRequestMessage(HttpMethod.Post, "api/files/upload") { Content = Multipart() };
            await SendAsync(client, upload, transcript);
        }

        await SendAsync(client, Get("api/status"), transcript);

        Assert.Equal(0, emulator.Faults.Pending); // every fault was hit
        AssertNoSecret(secrets, transcript.ToString(), Logs(server));
    }

    private static async Task<(FunctionsTestServer Server, Secrets Secrets)> StartAsync(QwenEmulator emulator)
    {
        var secrets = new Secrets(
            emulator.AddAccount(StatusFunctionsTests.Jwt(DateTimeOffset.UtcNow.AddDays(1))).Token,
            emulator.AddAccount("plain-token-0a1b2c3d4e5f").Token,
            emulator.AddAccount("cookie-account-token-7a8b9c").Token);
        var settings = TestSettings.For(emulator, secrets.Jwt, secrets.Plain)
            .With("Qwen:Accounts:0:Token", secrets.WithCookies)
            .With("Qwen:Accounts:0:Cookies", $"acw_tc={CookieValue}")
            .With("API_KEYS", $"{ApiKey1},{ApiKey2}")
            .With("Qwen:Cooldowns:WafBackoff", "00:00:00"); // every scripted fault must reach the emulator, WAF ones too
        return (await FunctionsTestServer.StartAsync(settings), secrets);
    }

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    private static HttpRequestMessage Post(string path, object body) => new(HttpMethod.Post, path) { Content = JsonContent.Create(body) };

    private static HttpRequestMessage CreateChat() => Post("api/chats", new { model = "qwen3.6-plus" });

    private static MultipartFormDataContent Multipart()
    {
        var file = new ByteArrayContent(MediaServices.Png);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return new MultipartFormDataContent { { file, "file", "cat.png" } };
    }

    private static async Task SendAsync(HttpClient client, HttpRequestMessage request, StringBuilder transcript)
    {
        using (request)
        using (var response = await client.SendAsync(request))
        {
            transcript.AppendLine(response.ToString()).AppendLine(await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>Every log record at every level: message, exception and each structured value.</summary>
    private static string Logs(FunctionsTestServer server)
    {
        var records = server.Logs.GetSnapshot();
        Assert.NotEmpty(records);
        var logs = new StringBuilder();
        foreach (var record in records)
        {
            logs.AppendLine(record.Message).AppendLine(record.Exception?.ToString());
            foreach (var (key, value) in record.StructuredState ?? [])
            {
                logs.Append(key).Append('=').AppendLine(value);
            }
        }

        return logs.ToString();
    }

    private static void AssertNoSecret(Secrets secrets, string transcript, string logs)
    {
        foreach (var secret in new[] { secrets.Jwt, secrets.Jwt.Split('.')[1], secrets.Plain, secrets.WithCookies, CookieValue, ApiKey1, ApiKey2 })
        {
            Assert.DoesNotContain(secret, transcript, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }
    }

    private sealed record Secrets(string Jwt, string Plain, string WithCookies);
}
