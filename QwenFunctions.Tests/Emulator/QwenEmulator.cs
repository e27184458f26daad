using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace QwenFunctions.Tests.Emulator;

// README — a faithful chat.qwen.ai stand-in (docs/upstream.md §4–§7) on 127.0.0.1:<random port>.
//
//   await using var emu = await QwenEmulator.StartAsync(new QwenEmulatorOptions { StrictHeaders = true });
//   var account = emu.AddAccount("token-a");          // unknown tokens are Unauthorized (200 + x-actual-status-code 401)
//   point the app at it:  Qwen__BaseUrl     = emu.BaseAddress   (http://127.0.0.1:<port>/)
//                         Qwen__OssEndpoint = emu.OssEndpoint   (http://127.0.0.1:<port>/oss)
//
// Routes: POST /api/v2/chats/new · POST /api/v2/chat/completions?chat_id= · POST /api/v2/chat/completions/stop
//         GET /api/models · GET /api/v2/models/ · GET|DELETE /api/v2/chats/{id} · GET|DELETE /api/v2/chats/
//         GET /api/v2/task/status/{id} (wrapped) · GET /api/v1/tasks/status/{id} (flat)
//         POST /api/v1/files/getstsToken (flat) · POST /api/v2/files/getstsToken (data-wrapped)
//         POST /api/v2/files/parse · POST /api/v2/files/parse/status
//         PUT|GET /oss/{bucket}/{**key} · GET /cdn/{**path} (fake png/mp4 bytes)
//         GET /auth/api/v2/auths/refresh (the auth host: see QwenEmulator.Auth.cs)
//
// Uploads: real OSS wants a virtual-hosted URL https://<bucketname>.<endpoint>/<file_path>, which cannot point at a
// loopback port. So the app needs an endpoint override: when Qwen:OssEndpoint is set it must PUT path-style to
//   {OssEndpoint}/{bucketname}/{file_path}        e.g. http://127.0.0.1:5123/oss/qwen-webui-prod/<user-id>/<file-id>_cat.png
// signed with OSS V1: Authorization: OSS <access_key_id>:Base64(HMAC-SHA1(access_key_secret, StringToSign)),
// StringToSign = "PUT\n" + Content-MD5 + "\n" + Content-Type + "\n" + Date + "\n" + "x-oss-security-token:<token>\n"
//                + "/<bucket>/<file_path>"  (every x-oss-* header, lower-cased and sorted, is part of it as in real OSS).
// A wrong signature gets 403 with an OSS XML <Error><Code>SignatureDoesNotMatch</Code>…; the bytes are in Uploads.
// The STS answer's endpoint/region fields stay realistic (oss-accelerate.aliyuncs.com, oss-ap-southeast-1); its
// file_url is a GET URL on the emulator that serves the uploaded bytes.
//
// Determinism: the default answer is "Echo: " + prompt, split into Options.AnswerDeltaCount deltas. Override it with
// Answer (global) or EmulatorAccount.Answer (per token), or script the next answers delta by delta with Script
// (Script.Enqueue("Let me check.<tool", "_call>\n{…}\n</tool_call>"); ModelToolCalls builds the model's tool-call text). Faults: see Fault / EmulatorFaults. Everything is recorded
// in Requests and Chats. Tests in this folder (QwenEmulator*Tests) show each behaviour with a plain HttpClient.

/// <summary>A chat.qwen.ai emulator on a loopback Kestrel port. Start with <see cref="StartAsync"/>; dispose to stop.</summary>
public sealed partial class QwenEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, EmulatorAccount> _accounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EmulatorChat> _chats = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EmulatorVideoTask> _tasks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StsGrant> _grantsByKeyId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StsGrant> _grantsByFileId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, OssObject> _objects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _parsePolls = new(StringComparer.Ordinal);
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<StreamGate> _gates = [];
    private long _chatSequence;

    private QwenEmulator(WebApplication app, QwenEmulatorOptions options)
    {
        _app = app;
        Options = options;
    }

    /// <summary>Root of the emulator, e.g. <c>http://127.0.0.1:5123/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Path-style OSS endpoint for uploads: <c>http://127.0.0.1:&lt;port&gt;/oss</c> (see the README above the class).</summary>
    public Uri OssEndpoint => new(BaseAddress, "oss");

    /// <summary>Base of generated image/video URLs (<see cref="QwenEmulatorOptions.CdnBaseAddress"/> or the emulator's <c>/cdn/</c>).</summary>
    public Uri CdnBaseAddress => Options.CdnBaseAddress ?? new Uri(BaseAddress, "cdn/");

    /// <summary>Live options; changes apply to the next request.</summary>
    public QwenEmulatorOptions Options { get; }

    /// <summary>Scripted faults.</summary>
    public EmulatorFaults Faults { get; } = new();

    /// <summary>Scripted answers for the next text completions, delta by delta (they win over <see cref="Answer"/>).</summary>
    public AnswerScript Script { get; } = new();

    /// <summary>Global answer override for text completions (per-account <see cref="EmulatorAccount.Answer"/> wins).</summary>
    public Func<AnswerContext, string>? Answer { get; set; }

    /// <summary>Every request received, in arrival order (snapshot).</summary>
    public IReadOnlyList<RecordedRequest> Requests { get { lock (_requests) { return _requests.ToArray(); } } }

    /// <summary>All chats ever created (snapshot, ordered by creation).</summary>
    public IReadOnlyList<EmulatorChat> Chats => _chats.Values.OrderBy(c => c.Sequence).ToArray();

    /// <summary>Known accounts.</summary>
    public IReadOnlyCollection<EmulatorAccount> Accounts => _accounts.Values.ToArray();

    /// <summary>Video tasks created by t2v / i2v completions.</summary>
    public IReadOnlyCollection<EmulatorVideoTask> VideoTasks => _tasks.Values.ToArray();

    /// <summary>Objects stored by accepted OSS PUTs.</summary>
    public IReadOnlyCollection<OssObject> Uploads => _objects.Values.ToArray();

    internal CancellationToken Stopping => _stopping.Token;

    /// <summary>Starts Kestrel on 127.0.0.1 with a free port.</summary>
    public static async Task<QwenEmulator> StartAsync(QwenEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        // Whatever appsettings or ASPNETCORE_* variables the test process has must not add listeners or change behaviour.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = 512L * 1024 * 1024;
        });
        var app = builder.Build();
        var emulator = new QwenEmulator(app, options ?? new QwenEmulatorOptions());
        emulator.MapRoutes(app);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        emulator.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return emulator;
    }

    /// <summary>Adds (or returns) an account. A null token makes a random one.</summary>
    public EmulatorAccount AddAccount(string? token = null)
    {
        token ??= "emu-" + Guid.NewGuid().ToString("N");
        return _accounts.GetOrAdd(token, t => new EmulatorAccount(t, Guid.NewGuid().ToString()));
    }

    /// <summary>Makes every later request with <paramref name="token"/> Unauthorized.</summary>
    public void Revoke(string token)
    {
        if (_accounts.TryGetValue(token, out var account)) account.Revoked = true;
    }

    /// <summary>The chat with this id, or null.</summary>
    public EmulatorChat? GetChat(string chatId) => _chats.GetValueOrDefault(chatId);

    /// <summary>Uploaded object by its key (the STS <c>file_path</c>), or null.</summary>
    public OssObject? GetUpload(string key) => _objects.Values.FirstOrDefault(o => o.Key == key);

    /// <summary>Gates the next completion stream (of <paramref name="token"/>, or of anyone) after its first content delta.</summary>
    public StreamGate PauseAfterFirstAnswerDelta(string? token = null)
    {
        var gate = new StreamGate(token);
        lock (_gates) { _gates.Add(gate); }
        return gate;
    }

    /// <summary>Forgets every chat (the benchmark's retained-bytes phase: what is left after it is not the emulator's).</summary>
    public void ForgetChats() => _chats.Clear();

    /// <summary>Forgets recorded requests.</summary>
    public void ClearRequests()
    {
        lock (_requests) { _requests.Clear(); }
    }

    /// <summary>Stops the server; held streams are released.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await _app.StopAsync(timeout.Token); }
        catch (OperationCanceledException) { /* connections still draining; disposal below closes them */ }
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    internal StreamGate? TakeGate(string? token)
    {
        lock (_gates)
        {
            var gate = _gates.FirstOrDefault(g => g.Token is null || g.Token == token);
            if (gate is not null) _gates.Remove(gate);
            return gate;
        }
    }

    private void Record(EmulatorRequest r)
    {
        var request = r.Http.Request;
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var recorded = new RecordedRequest(request.Method, request.Path + request.QueryString, headers, r.BodyText, r.Token, r.Now);
        lock (_requests) { _requests.Add(recorded); }
    }

    private void MapRoutes(WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            var r = await EmulatorRequest.CreateAsync(http, this);
            Record(r);
            foreach (var cookie in r.Account?.AnswerSetCookies ?? []) http.Response.Headers.Append("Set-Cookie", cookie);
            try { await next(http); }
            catch (OperationCanceledException) when (r.Aborted.IsCancellationRequested)
            {
                // Client disconnect, stream cut or emulator shutdown: the response simply ends.
            }
            finally { await r.FinishAsync(); }
        });

        app.MapPost("/api/v2/chats/new", http => NewChatAsync(EmulatorRequest.From(http)));
        app.MapPost("/api/v2/chat/completions", http => CompleteAsync(EmulatorRequest.From(http)));
        app.MapPost("/api/v2/chat/completions/stop", http => StopAsync(EmulatorRequest.From(http)));
        app.MapGet("/api/models", http => ModelsAsync(EmulatorRequest.From(http), wrapped: false));
        app.MapGet("/api/v2/models", http => ModelsAsync(EmulatorRequest.From(http), wrapped: true));
        app.MapGet("/api/v2/chats", http => ListChatsAsync(EmulatorRequest.From(http)));
        app.MapDelete("/api/v2/chats", http => DeleteAllChatsAsync(EmulatorRequest.From(http)));
        app.MapGet("/api/v2/chats/{chatId}", http => ChatDetailsAsync(EmulatorRequest.From(http), RouteValue(http, "chatId")));
        app.MapDelete("/api/v2/chats/{chatId}", http => DeleteChatAsync(EmulatorRequest.From(http), RouteValue(http, "chatId")));
        app.MapGet("/api/v2/task/status/{taskId}", http => TaskStatusAsync(EmulatorRequest.From(http), RouteValue(http, "taskId"), v2: true));
        app.MapGet("/api/v1/tasks/status/{taskId}", http => TaskStatusAsync(EmulatorRequest.From(http), RouteValue(http, "taskId"), v2: false));
        app.MapPost("/api/v1/files/getstsToken", http => StsTokenAsync(EmulatorRequest.From(http), wrapped: false));
        app.MapPost("/api/v2/files/getstsToken", http => StsTokenAsync(EmulatorRequest.From(http), wrapped: true));
        app.MapPost("/api/v2/files/parse", http => ParseAsync(EmulatorRequest.From(http)));
        app.MapPost("/api/v2/files/parse/status", http => ParseStatusAsync(EmulatorRequest.From(http)));
        app.MapPut("/oss/{bucket}/{**key}", http => OssPutAsync(EmulatorRequest.From(http), RouteValue(http, "bucket"), RouteValue(http, "key")));
        app.MapGet("/oss/{bucket}/{**key}", http => OssGetAsync(EmulatorRequest.From(http), RouteValue(http, "bucket"), RouteValue(http, "key")));
        app.MapGet("/cdn/{**path}", http => CdnAsync(EmulatorRequest.From(http), RouteValue(http, "path")));
        app.MapGet("/auth/api/v2/auths/refresh", http => RefreshAsync(EmulatorRequest.From(http)));
        app.MapFallback(http => EmulatorRequest.From(http).WriteTextAsync("{\"detail\":\"Not Found\"}", "application/json", 404));
    }

    private static string RouteValue(HttpContext http, string name) => http.GetRouteValue(name)?.ToString() ?? "";
}
