using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QwenFunctions.Accounts;
using QwenFunctions.Anthropic;
using QwenFunctions.Chat;
using QwenFunctions.Chat.Continuation;
using QwenFunctions.Chat.Tools;
using QwenFunctions.Configuration;
using QwenFunctions.Conversations;
using QwenFunctions.Docs;
using QwenFunctions.Files;
using QwenFunctions.Http;
using QwenFunctions.Images;
using QwenFunctions.Models;
using QwenFunctions.NativeChat;
using QwenFunctions.OpenAI;
using QwenFunctions.Responses;
using QwenFunctions.State;
using QwenFunctions.Status;
using QwenFunctions.Telemetry;
using QwenFunctions.Upstream;
using QwenFunctions.Video;

namespace QwenFunctions;

/// <summary>The composition root: every registration of the app lives here.</summary>
public static class ServiceCollectionExtensions
{
    public static IServiceCollection AddQwen(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails();

        // ---- Logging ----
        // A successful request writes no record at Information: the per-request records of ASP.NET Core and of the
        // resilience pipeline (one per attempt) would each be forwarded to the host and logged again there, and the
        // request is already in the host's request telemetry and in our metrics. Their warnings and errors still log.
        services.AddLogging(logging => logging
            .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
            .AddFilter("Polly", LogLevel.Warning));

        // ---- Configuration ----
        services.AddOptions<QwenOptions>()
            .BindConfiguration(QwenOptions.SectionName)
            .Configure<IConfiguration>(ApplySeedSettingNames)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<ProxyOptions>()
            .BindConfiguration(ProxyOptions.SectionName)
            .Configure<IConfiguration>((o, c) => o.ApiKeys = c["API_KEYS"] ?? o.ApiKeys)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // ---- Telemetry ----
        // Metrics and spans are always recorded (cheap with no listener); exported only when a destination is configured.
        services.AddMetrics();
        services.AddSingleton<QwenMetrics>();
        services.AddHostedService<AccountStateGauge>();
        services.AddTelemetryExport(configuration);

        // ---- HTTP pipeline ----
        services.AddSingleton<ApiKeyGate>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiKeyGate>());
        services.AddSingleton<HttpPipeline>();
        services.AddSingleton<RequestBodyReader>();

        // ---- Accounts ----
        // IAccountHealthStore and IAccountBindingStore: see "Shared state".
        services.AddSingleton<AccountPool>();
        services.AddSingleton<AccountAttemptRunner>();
        services.AddSingleton<AccountCredentials>();

        // ---- Upstream ----
        services.AddTransient<QwenHeadersHandler>();
        // Static per-account headers when the settings have some, else none; an external signer registered after
        // AddQwen replaces it (README, "Signed headers").
        services.AddSingleton<IUpstreamRequestSigner>(sp => StaticHeadersRequestSigner.For(sp.GetRequiredService<IOptions<QwenOptions>>()));
        services.AddSingleton<UpstreamMessageLimit>();
        // The default HttpClient loggers redact header values in the message but not in the structured state (Trace),
        // which would ship Authorization and Cookie to any structured sink. Upstream failures are logged by the clients.
        services.AddHttpClient<QwenApiClient>(ConfigureUpstream)
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(CreateUpstreamHandler)
            .AddHttpMessageHandler<QwenHeadersHandler>()
            .AddStandardResilienceHandler().Configure(ConfigureResilience);
        services.AddHttpClient<QwenChatClient>((sp, http) =>
            {
                ConfigureUpstream(sp, http);
                http.Timeout = Timeout.InfiniteTimeSpan; // the client's own watchdog bounds first byte and idle time
            })
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(CreateUpstreamHandler)
            .AddHttpMessageHandler<QwenHeadersHandler>();

        // The auth host mints access tokens; no resilience retries (a refresh that reached it may have retired the
        // token it sent) and one long-lived handler, since the singleton AccountCredentials holds this client.
        services.AddHttpClient<QwenAuthClient>((sp, http) =>
            {
                var options = sp.GetRequiredService<IOptionsMonitor<QwenOptions>>().CurrentValue;
                http.BaseAddress = new Uri(options.AuthBaseUrl.TrimEnd('/') + "/");
                http.Timeout = options.Timeouts.Request;
            })
            .RemoveAllLoggers()
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(CreateUpstreamHandler);

        // ---- Images and files ----
        services.AddOptions<FilesOptions>()
            .BindConfiguration(FilesOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<ImagesOptions>()
            .BindConfiguration(ImagesOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddMemoryCache();
        services.AddSingleton<UploadedFileCatalog>();
        services.AddSingleton<FileUploadService>();
        services.AddSingleton<VisionInputResolver>();
        services.AddSingleton<ImageGenerationService>();
        services.AddSingleton<ImageApi>();
        services.AddTransient<ImageStreamer>();

        // The OSS host comes from the STS answer (or Qwen:OssEndpoint); no resilience: a half-sent body is not replayed blindly.
        services.AddHttpClient<OssUploader>((sp, http) => http.Timeout = sp.GetRequiredService<IOptionsMonitor<FilesOptions>>().CurrentValue.OssTimeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });

        // Client-supplied and generated image URLs: size cap, timeout and the private-address guard at connect time.
        services.AddHttpClient<SafeDownloader>(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => SafeDownloader.CreateHandler(sp.GetRequiredService<IOptionsMonitor<FilesOptions>>(), sp.GetRequiredService<IOptionsMonitor<QwenOptions>>()));

        // ---- Shared state ----
        AddSharedState(services, configuration);

        // ---- Models and status ----
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<StatusService>();
        services.AddSingleton<ConversationService>();

        // ---- Video ----
        services.AddOptions<VideoOptions>()
            .BindConfiguration(VideoOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<VideoJobService>();
        services.AddTransient<VideoUpstreamService>();

        // ---- Chat pipeline and its surfaces ----
        services.AddSingleton<IVisionInputResolver>(sp => sp.GetRequiredService<VisionInputResolver>());
        services.AddSingleton<AccountOwners>();
        services.AddTransient<ChatService>(); // transient: it holds typed HttpClients
        services.AddTransient<ChatResponder>();
        services.AddSingleton<ConversationContinuity>();
        services.AddTransient<StatelessContinuation>(); // transient: it holds ChatService
        services.AddSingleton<IChatEventFilter, ToolCallFilter>();

        // ---- Anthropic Messages API ----
        services.AddOptions<AnthropicOptions>().BindConfiguration(AnthropicOptions.SectionName);
        services.AddSingleton<ThinkingSignature>(); // one key per instance when none is configured
        services.AddSingleton<MessagesRequestReader>();

        // ---- Responses ----
        services.AddOptions<ResponsesOptions>()
            .BindConfiguration(ResponsesOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<StoredResponses>();
        services.AddTransient<ResponsesService>();

        // ---- Docs ----
        // The document is read off the functions' [OpenApi*] attributes (the route-coverage test fails on an undescribed trigger).
        services.AddSingleton<OpenApiDocumentProvider>();
        services.AddSingleton<SwaggerUiAssets>();

        ScopeBindingsToTheirCaller(services);
        return services;
    }

    /// <summary>Wraps whichever binding store is registered (shared or in-memory) in <see cref="CallerScopedBindingStore"/>.</summary>
    private static void ScopeBindingsToTheirCaller(IServiceCollection services)
    {
        var store = services.Last(d => d.ServiceType == typeof(IAccountBindingStore));
        services.Remove(store);
        services.AddSingleton<IAccountBindingStore>(sp => new CallerScopedBindingStore((IAccountBindingStore)(
            store.ImplementationFactory?.Invoke(sp) ?? store.ImplementationInstance ?? ActivatorUtilities.CreateInstance(sp, store.ImplementationType!))));
    }

    /// <summary>
    /// Account health, bindings and client limit counters: in Table Storage behind a breaker (memory as fallback) when
    /// a storage account is configured, else in this instance's memory. State:Enabled=false forces memory.
    /// </summary>
    private static void AddSharedState(IServiceCollection services, IConfiguration configuration)
    {
        var connection = StateConnection.Resolve(configuration);
        var enabled = configuration.GetValue<bool?>($"{StateOptions.SectionName}:{nameof(StateOptions.Enabled)}");
        services.AddOptions<StateOptions>()
            .BindConfiguration(StateOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.Enabled != true || connection is not null,
                "State:Enabled is true but no storage is configured: set AzureWebJobsStorage, State:ConnectionString or State:ServiceUri.")
            .ValidateOnStart();
        services.AddSingleton<InMemoryAccountHealthStore>();
        services.AddSingleton<InMemoryAccountBindingStore>();
        services.AddSingleton<InMemoryResponseStore>();
        if (connection is not null && enabled != false)
        {
            services.AddSingleton(connection);
            services.AddSingleton<StorageCircuitBreaker>();
            services.AddSingleton<StateTables>();
            services.AddSingleton<ClientLimitTable>();
            services.AddSingleton<TableRefreshTokenStore>();
            services.AddSingleton<IRefreshTokenStore>(sp => sp.GetRequiredService<TableRefreshTokenStore>());

            // A rotated refresh token must reach every instance and survive restarts, and never in plain text.
            services.AddOptions<QwenOptions>().Validate(
                o => !AccountList.HasRefreshAccounts(o) || TokenKey.TryParse(o.TokenEncryptionKey, out _),
                "Refresh tokens are configured and state is shared, so QWEN_TOKEN_ENCRYPTION_KEY must be set (the base64 of 32 random bytes, "
                + "e.g. `openssl rand -base64 32`; in Azure a Key Vault reference, which must resolve): rotated refresh tokens are stored encrypted with it.");
            services.AddSingleton<SharedAccountHealthStore>();
            services.AddSingleton<SharedAccountBindingStore>();
            services.AddSingleton<IAccountHealthStore>(sp => sp.GetRequiredService<SharedAccountHealthStore>());
            services.AddSingleton<IAccountBindingStore>(sp => sp.GetRequiredService<SharedAccountBindingStore>());
            services.AddSingleton<TableStateStatus>();
            services.AddSingleton<IStateStatus>(sp => sp.GetRequiredService<TableStateStatus>());
            services.AddHostedService(sp => sp.GetRequiredService<TableStateStatus>());
            services.AddSingleton<TableResponseStore>();
            services.AddSingleton<IResponseStore, SharedResponseStore>();
        }
        else
        {
            services.AddSingleton<IAccountHealthStore>(sp => sp.GetRequiredService<InMemoryAccountHealthStore>());
            services.AddSingleton<IAccountBindingStore>(sp => sp.GetRequiredService<InMemoryAccountBindingStore>());
            services.AddSingleton<IRefreshTokenStore, InMemoryRefreshTokenStore>();
            services.AddSingleton<IStateStatus, MemoryStateStatus>();
            services.AddSingleton<IResponseStore>(sp => sp.GetRequiredService<InMemoryResponseStore>());
        }

        // Takes ClientLimitTable and the breaker when they are registered above, else counts in memory only.
        services.AddSingleton<ClientLimiter>();
        services.AddSingleton<IRequestLimiter>(sp => sp.GetRequiredService<ClientLimiter>());
    }

    /// <summary>The seed's flat setting names win over the Qwen:* section, so seed deployments keep working.</summary>
    private static void ApplySeedSettingNames(QwenOptions options, IConfiguration configuration)
    {
        options.BaseUrl = Setting.Value(configuration["QWEN_BASE_URL"]) ?? options.BaseUrl;
        options.Tokens = Setting.Value(configuration["QWEN_TOKENS"]) ?? options.Tokens;
        options.Token = Setting.Value(configuration["QWEN_TOKEN"]) ?? options.Token;
        options.RefreshTokens = Setting.Value(configuration["QWEN_REFRESH_TOKENS"]) ?? options.RefreshTokens;
        options.AuthBaseUrl = Setting.Value(configuration["QWEN_AUTH_BASE_URL"]) ?? options.AuthBaseUrl;
        options.TokenEncryptionKey = Setting.Value(configuration["QWEN_TOKEN_ENCRYPTION_KEY"]) ?? options.TokenEncryptionKey;
        options.DefaultModel = Setting.Value(configuration["DEFAULT_MODEL"]) ?? options.DefaultModel;
    }


    private static void ConfigureUpstream(IServiceProvider services, HttpClient http)
    {
        // Typed clients are made per request; the Uri is parsed once per BaseUrl setting, not each time.
        var baseUrl = services.GetRequiredService<IOptionsMonitor<QwenOptions>>().CurrentValue.BaseUrl;
        var cached = s_upstreamBaseAddress;
        if (cached is null || !ReferenceEquals(cached.Item1, baseUrl))
        {
            s_upstreamBaseAddress = cached = Tuple.Create(baseUrl, new Uri(baseUrl.TrimEnd('/') + "/"));
        }

        http.BaseAddress = cached.Item2;
    }

    private static Tuple<string, Uri>? s_upstreamBaseAddress;

    private static HttpMessageHandler CreateUpstreamHandler(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptionsMonitor<QwenOptions>>().CurrentValue;

        // Cookies are per account and set explicitly: a shared cookie jar would leak one account's session into another's.
        return new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Brotli | DecompressionMethods.Deflate,
            ConnectTimeout = options.Timeouts.Connect,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
    }

    private static void ConfigureResilience(HttpStandardResilienceOptions resilience, IServiceProvider services)
    {
        var request = services.GetRequiredService<IOptionsMonitor<QwenOptions>>().CurrentValue.Timeouts.Request;
        resilience.AttemptTimeout.Timeout = request;
        resilience.TotalRequestTimeout.Timeout = request * 3;
        resilience.CircuitBreaker.SamplingDuration = request * 2;

#pragma warning disable EXTEXP0001 // Retrying a POST that creates a chat or a job would create it twice.
        resilience.Retry.DisableForUnsafeHttpMethods();
#pragma warning restore EXTEXP0001
    }
}
