using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QwenFunctions.Accounts;
using QwenFunctions.Configuration;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;
using QwenFunctions.Video;

namespace QwenFunctions.Tests.Video;

/// <summary>
/// The app's video orchestration and activities in the in-process durable host, talking to the emulator.
/// Poll intervals are sub-second; each test owns its emulator, so emulator options can be changed freely.
/// </summary>
internal sealed class VideoTestHost : IAsyncDisposable
{
    private VideoTestHost(
        QwenEmulator emulator, FunctionsTestServer server, DurableTaskTestHost durable, IReadOnlyList<EmulatorAccount> accounts, ConcurrentQueue<string> payloads)
    {
        Payloads = payloads;
        Emulator = emulator;
        Server = server;
        Durable = durable;
        Accounts = accounts;
    }

    public QwenEmulator Emulator { get; }

    /// <summary>The app (AddQwen with this host's settings); its HTTP functions are served too.</summary>
    public FunctionsTestServer Server { get; }

    public IServiceProvider Services => Server.Services;

    public DurableTaskTestHost Durable { get; }

    public DurableTaskClient Client => Durable.Client;

    /// <summary>Emulator accounts, in the order the app's pool lists them.</summary>
    public IReadOnlyList<EmulatorAccount> Accounts { get; }

    /// <summary>
    /// Every payload handed to the durable backend through the task boundary: orchestration inputs (each execution,
    /// ContinueAsNew included), activity inputs, activity results and activity failures, serialized as the worker does.
    /// The in-process backend keeps history without payloads and does not serve it, so they are recorded here instead.
    /// </summary>
    public ConcurrentQueue<string> Payloads { get; }

    public VideoJobService Jobs => Services.GetRequiredService<VideoJobService>();

    public AccountPool Pool => Services.GetRequiredService<AccountPool>();

    public static async Task<VideoTestHost> StartAsync(
        int accounts = 1,
        Action<QwenEmulatorOptions>? emulator = null,
        Dictionary<string, string?>? settings = null,
        Func<VideoSendRequest, Func<Task<VideoSendResult>>, Task<VideoSendResult>>? sendActivity = null,
        int refreshAccounts = 0)
    {
        var emulatorOptions = new QwenEmulatorOptions();
        emulator?.Invoke(emulatorOptions);
        var emu = await QwenEmulator.StartAsync(emulatorOptions);
        var emuAccounts = Enumerable.Range(0, accounts).Select(i => emu.AddAccount($"secret-token-{i}-{Guid.NewGuid():N}")).ToArray();

        var values = new Dictionary<string, string?>
        {
            ["Qwen:BaseUrl"] = emu.BaseAddress.ToString(),
            ["Video:PollInterval"] = "00:00:00.100",
            ["Video:Deadline"] = "00:00:30",
        };
        for (var i = 0; i < emuAccounts.Length; i++)
        {
            values[$"Qwen:Accounts:{i}:Token"] = emuAccounts[i].Token;
            values[$"Qwen:Accounts:{i}:Cookies"] = $"ssxmod_itna=secret-cookie-{i}-{Guid.NewGuid():N}";
        }

        // Accounts that sign in by refresh token: the app mints (and re-mints) their access tokens from the auth host.
        var refreshing = Enumerable.Range(0, refreshAccounts).Select(_ => emu.AddRefreshAccount()).ToArray();
        for (var i = 0; i < refreshing.Length; i++)
        {
            values[$"Qwen:Accounts:{emuAccounts.Length + i}:RefreshToken"] = refreshing[i].RefreshToken;
        }

        if (refreshing.Length > 0)
        {
            values["QWEN_AUTH_BASE_URL"] = emu.AuthBaseAddress.ToString();
        }

        emuAccounts = [.. emuAccounts, .. refreshing];

        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        // The HTTP functions' [DurableClient] binds to the durable host started below, which needs the server's services first.
        DurableTaskTestHost? durableHost = null;
        var server = await FunctionsTestServer.StartAsync(values, o => o.Bindings[typeof(DurableTaskClient)] =
            _ => durableHost?.Client ?? throw new InvalidOperationException("The durable host has not started."));
        var provider = server.Services;

        var payloads = new ConcurrentQueue<string>();
        var durable = await DurableTestHosts.StartAsync(registry =>
        {
            registry.AddOrchestratorFunc<VideoJobInput, VideoJobResult?>(VideoOrchestrator.Name, (context, input) =>
            {
                payloads.Enqueue(JsonDataConverter.Default.Serialize(input) ?? "");
                return VideoOrchestrator.RunAsync(context, input);
            });
            registry.AddActivityFunc<VideoChatRequest, VideoChatResult>(VideoActivities.CreateChat, (_, request) =>
                Recorded(payloads, request, () => ActivatorUtilities.CreateInstance<VideoActivities>(provider).CreateChatAsync(request, CancellationToken.None)));
            registry.AddActivityFunc<VideoSendRequest, VideoSendResult>(VideoActivities.Send, (_, request) =>
                Recorded(payloads, request, () =>
                {
                    Task<VideoSendResult> Real() => ActivatorUtilities.CreateInstance<VideoActivities>(provider).SendAsync(request, CancellationToken.None);
                    return sendActivity is null ? Real() : sendActivity(request, Real);
                }));
            registry.AddActivityFunc<VideoPollRequest, VideoPollResult>(VideoActivities.Poll, (_, request) =>
                Recorded(payloads, request, () => ActivatorUtilities.CreateInstance<VideoActivities>(provider).PollAsync(request, CancellationToken.None)));
        });

        durableHost = durable;
        return new VideoTestHost(emu, server, durable, emuAccounts, payloads);
    }

    /// <summary>Secrets the durable store must never see: configured tokens and cookies, and every access and refresh
    /// token the emulator's auth host minted or rotated during the run.</summary>
    public IEnumerable<string> Secrets =>
        Pool.Accounts.SelectMany(a => new[] { a.Token, a.Cookies }).OfType<string>().Concat(Emulator.IssuedSecrets).Distinct();

    public Task<VideoJob> StartJobAsync(string prompt = "A red kite over green hills", string? size = "16:9") =>
        Jobs.StartAsync(Client, prompt, null, size, QwenFunctions.Http.HttpPipeline.AnonymousCaller, CancellationToken.None);

    public async Task<VideoJob> WaitForEndAsync(string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        return await Jobs.GetAsync(Client, id, QwenFunctions.Http.HttpPipeline.AnonymousCaller, CancellationToken.None);
    }

    /// <summary>Waits until the job reports in_progress (the upstream task exists), bounded.</summary>
    public async Task<VideoJob> WaitForInProgressAsync(string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var job = await Jobs.GetAsync(Client, id, QwenFunctions.Http.HttpPipeline.AnonymousCaller, timeout.Token);
            if (job.Status != VideoJobStatus.Queued)
            {
                return job;
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    public VideoFunctions NativeFunctions() => ActivatorUtilities.CreateInstance<VideoFunctions>(Services);

    public OpenAIVideoFunctions OpenAIFunctions() => ActivatorUtilities.CreateInstance<OpenAIVideoFunctions>(Services);

    /// <summary>A client on the app's HTTP server that shows redirects instead of following them (content routes answer 302).</summary>
    public HttpClient NonRedirectingClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Server.BaseAddress };

    public DefaultHttpContext HttpContext(string method, string path, string? json = null)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Method = method;
        context.Request.Path = path;
        if (json is not null)
        {
            context.Request.ContentType = "application/json";
            context.Request.Body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        }

        context.Response.Body = new MemoryStream();
        return context;
    }

    private static async Task<TResult> Recorded<TInput, TResult>(ConcurrentQueue<string> payloads, TInput input, Func<Task<TResult>> run)
    {
        payloads.Enqueue(JsonDataConverter.Default.Serialize(input) ?? "");
        try
        {
            var result = await run();
            payloads.Enqueue(JsonDataConverter.Default.Serialize(result) ?? "");
            return result;
        }
        catch (Exception ex)
        {
            payloads.Enqueue(ex.ToString());
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Durable.DisposeAsync();
        await Server.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
