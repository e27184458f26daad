using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using QwenFunctions.Tests.Emulator;

namespace QwenFunctions.Tests.Hosting;

/// <summary>
/// The app (<see cref="FunctionsTestServer"/>) pointed at a fresh <see cref="QwenEmulator"/> with <c>accounts</c> known
/// tokens, in pool order. Settings and services can be adjusted before start.
/// </summary>
public sealed class EmulatedApp : IAsyncDisposable
{
    private EmulatedApp(QwenEmulator emulator, FunctionsTestServer server, IReadOnlyList<EmulatorAccount> accounts, IReadOnlyList<EmulatorAccount> refreshAccounts)
    {
        Emulator = emulator;
        Server = server;
        Accounts = accounts;
        RefreshAccounts = refreshAccounts;
        Http = server.Client;
    }

    public QwenEmulator Emulator { get; }

    public FunctionsTestServer Server { get; }

    /// <summary>Emulator accounts, in the order of Qwen:Tokens.</summary>
    public IReadOnlyList<EmulatorAccount> Accounts { get; }

    /// <summary>Emulator accounts known by refresh token only, in the order of QWEN_REFRESH_TOKENS (after <see cref="Accounts"/> in the pool).</summary>
    public IReadOnlyList<EmulatorAccount> RefreshAccounts { get; }

    public HttpClient Http { get; }

    public static async Task<EmulatedApp> StartAsync(
        int accounts = 1,
        Action<Dictionary<string, string?>>? settings = null,
        Action<IServiceCollection>? services = null,
        QwenEmulatorOptions? emulatorOptions = null,
        int refreshAccounts = 0)
    {
        var emulator = await QwenEmulator.StartAsync(emulatorOptions);
        var known = Enumerable.Range(0, accounts).Select(i => emulator.AddAccount($"token-{(char)('a' + i)}-{Guid.NewGuid():N}")).ToArray();
        var refreshing = Enumerable.Range(0, refreshAccounts).Select(_ => emulator.AddRefreshAccount()).ToArray();
        var values = new Dictionary<string, string?>
        {
            ["Qwen:BaseUrl"] = emulator.BaseAddress.ToString(),
            ["Qwen:Tokens"] = string.Join(",", known.Select(a => a.Token)),
            ["Qwen:RefreshTokens"] = string.Join(",", refreshing.Select(a => a.FirstRefreshToken)),
            ["Qwen:AuthBaseUrl"] = emulator.AuthBaseAddress.ToString(),
            ["Qwen:OssEndpoint"] = emulator.OssEndpoint.ToString(),
            ["Qwen:DefaultModel"] = "qwen3.6-plus",
        };
        settings?.Invoke(values);
        var server = await FunctionsTestServer.StartAsync(values, o => o.ConfigureServices = services);
        return new EmulatedApp(emulator, server, known, refreshing);
    }

    /// <summary>POSTs JSON (a raw string or an object serialized as is) and returns the response with headers read.</summary>
    public Task<HttpResponseMessage> PostAsync(string path, object body, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = body is string raw ? new StringContent(raw, System.Text.Encoding.UTF8, "application/json") : JsonContent.Create(body),
        };
        return Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>POSTs and parses a JSON answer.</summary>
    public async Task<(HttpResponseMessage Response, JsonElement Body)> PostJsonAsync(string path, object body)
    {
        var response = await PostAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        return (response, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Upstream completion requests seen by the emulator (optionally for one token).</summary>
    public IReadOnlyList<RecordedRequest> Completions(string? token = null) =>
        Emulator.Requests.Where(r => r.Path == "/api/v2/chat/completions" && (token is null || r.Token == token)).ToArray();

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
