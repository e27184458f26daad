using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using QwenFunctions.Accounts;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;
using QwenFunctions.Upstream;

namespace QwenFunctions.Tests.Upstream;

/// <summary>The <see cref="IUpstreamRequestSigner"/> seam (issue 10): called for every upstream request of an account.</summary>
public sealed class RequestSignerTests
{
    private static readonly string Hello = JsonSerializer.Serialize(new { messages = new[] { new { role = "user", content = "Hello" } } });

    [Fact]
    public async Task Chats_StaticHeadersPerAccount_EachAccountsRequestsCarryItsOwnOnly()
    {
        await using var emulator = await QwenEmulator.StartAsync();
        var first = emulator.AddAccount();
        var second = emulator.AddRefreshAccount();
        await using var server = await FunctionsTestServer.StartAsync(new Dictionary<string, string?>(TestSettings.For(emulator))
        {
            ["QWEN_AUTH_BASE_URL"] = emulator.AuthBaseAddress.ToString(),
            ["Qwen:Accounts:0:Token"] = first.Token,
            ["Qwen:Accounts:0:Headers:bx-ua"] = "231!first-ua",
            ["Qwen:Accounts:1:RefreshToken"] = second.RefreshToken,
            // The Linux-safe list form; a value may itself contain '=' (base64).
            ["Qwen:Accounts:1:HeaderList"] = "bx-v=2.5.37,bx-umidtoken=T2gAsecond==",
        });

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(server)).StatusCode);
        }

        Assert.IsType<StaticHeadersRequestSigner>(server.Services.GetRequiredService<IUpstreamRequestSigner>());
        var firstCalls = emulator.Requests.Where(r => r.Token == first.Token).ToArray();
        var secondCalls = emulator.Requests.Where(r => r.Token != first.Token && r.Token is not null).ToArray();
        Assert.NotEmpty(firstCalls);
        Assert.Contains(secondCalls, r => r.Path.EndsWith("/auths/refresh", StringComparison.Ordinal)); // the auth host is signed too
        Assert.All(firstCalls, r =>
        {
            Assert.Equal("231!first-ua", r.Headers["bx-ua"]);
            Assert.False(r.Headers.ContainsKey("bx-umidtoken"));
        });
        Assert.All(secondCalls, r =>
        {
            Assert.Equal("2.5.37", r.Headers["bx-v"]);
            Assert.Equal("T2gAsecond==", r.Headers["bx-umidtoken"]);
            Assert.False(r.Headers.ContainsKey("bx-ua"));
        });
    }

    [Fact]
    public async Task AddQwen_NoHeadersConfigured_SignsNothing()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 1);

        await PostAsync(app.Server);

        Assert.IsType<NoRequestSigner>(app.Server.Services.GetRequiredService<IUpstreamRequestSigner>());
        Assert.DoesNotContain(app.Emulator.Requests, r => r.Headers.Keys.Any(k => k.StartsWith("bx-", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task Chats_ExternalSignerRegisteredAfterAddQwen_IsCalledForEveryUpstreamRequestOfAnAccountAndSeesTheFinalRequest()
    {
        var signer = new RecordingSigner();
        await using var app = await EmulatedApp.StartAsync(accounts: 1, refreshAccounts: 1, services: s => s.AddSingleton<IUpstreamRequestSigner>(signer));

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(app.Server)).StatusCode);
        }

        // Every request that carried an account's credential was signed, with the signature computed over its final body.
        var withAccount = app.Emulator.Requests.Where(r => r.Token is not null).ToArray();
        Assert.Equal(withAccount.Length, signer.Calls.Count);
        Assert.All(withAccount, r => Assert.Equal(Signature(r.Method, r.PathAndQuery, r.Body), r.Headers["bx-ua"]));
        Assert.Contains(signer.Calls, c => c.Path.EndsWith("/auths/refresh", StringComparison.Ordinal));
    }

    [Fact]
    public void StartupValidation_StaticHeaderForTheCredentials_FailsNamingIt()
    {
        using var services = TestServices.Build(new Dictionary<string, string?>
        {
            ["Qwen:Accounts:0:Token"] = "token-a",
            ["Qwen:Accounts:0:HeaderList"] = "Cookie=token=other",
        });

        var error = Record.Exception(() => services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate());

        Assert.Contains("may not set Cookie", error?.Message, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> PostAsync(FunctionsTestServer server) =>
        server.Client.PostAsync("api/v1/chat/completions", new StringContent(Hello, Encoding.UTF8, "application/json"));

    private static string Signature(string method, string pathAndQuery, string body) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes($"{method} {pathAndQuery} {body}")))[..16];

    /// <summary>Signs like a real bx-ua would: over the method, the URL and the body.</summary>
    private sealed class RecordingSigner : IUpstreamRequestSigner
    {
        public ConcurrentQueue<(string AccountId, string Path)> Calls { get; } = new();

        public async ValueTask SignAsync(HttpRequestMessage request, QwenAccount account, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            request.Headers.TryAddWithoutValidation("bx-ua", Signature(request.Method.Method, request.RequestUri!.PathAndQuery, body));
            Calls.Enqueue((account.Id, request.RequestUri.AbsolutePath));
        }
    }
}
