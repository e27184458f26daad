using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QwenFunctions.Accounts;
using QwenFunctions.Configuration;
using QwenFunctions.Upstream;

namespace QwenFunctions.Models;

/// <summary>A model name a client sent, mapped to what the upstream understands.</summary>
/// <param name="UpstreamId">The upstream model id to send.</param>
/// <param name="RequestedName">What the client asked for (echoed back in OpenAI answers); the default id when it asked for none.</param>
/// <param name="Thinking">The client asked for a <c>-thinking</c> variant of a model that can think.</param>
public sealed record ResolvedModel(string UpstreamId, string RequestedName, bool Thinking)
{
    /// <summary>The name matched nothing, so the default model is used (the seed's lenient behaviour).</summary>
    public bool IsFallback { get; init; }
}

/// <summary>An entry of the advertised list (<c>GET /v1/models</c>).</summary>
public sealed record CatalogEntry(string Id, long Created);

/// <summary>
/// The upstream's model list, cached for <see cref="ProxyOptions.ModelsCacheTtl"/>; the seed's list when the upstream is
/// unreachable. Resolves client model names (ids, <c>-thinking</c> variants, configured and seed aliases, OpenAI names).
/// </summary>
public sealed class ModelCatalog(
    QwenApiClient api,
    AccountPool pool,
    IOptionsMonitor<QwenOptions> qwenOptions,
    IOptionsMonitor<ProxyOptions> proxyOptions,
    TimeProvider time,
    ILogger<ModelCatalog> logger)
{
    public const string ThinkingSuffix = "-thinking";
    internal const string LastResortDefault = "qwen3-max";

    // An unreachable upstream is asked again this soon, not after the full TTL, and not on every request either.
    private static readonly TimeSpan FailureRetryAfter = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Snapshot? _snapshot;

    /// <summary>Every model and <c>-thinking</c> variant a client may name, in upstream order.</summary>
    public async ValueTask<IReadOnlyList<CatalogEntry>> ListAsync(CancellationToken cancellationToken)
    {
        var snapshot = await GetSnapshotAsync(cancellationToken);
        var entries = new List<CatalogEntry>(snapshot.Models.Count * 2);
        foreach (var model in snapshot.Models)
        {
            entries.Add(new CatalogEntry(model.Id, model.Created));
            if (model.Thinking && !model.Id.EndsWith(ThinkingSuffix, StringComparison.OrdinalIgnoreCase))
            {
                entries.Add(new CatalogEntry(model.Id + ThinkingSuffix, model.Created));
            }
        }

        return entries;
    }

    /// <summary>The entry for <paramref name="id"/> (an advertised id or a known alias, under the name asked for), or null.</summary>
    public async ValueTask<CatalogEntry?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var entries = await ListAsync(cancellationToken);
        var listed = entries.FirstOrDefault(e => string.Equals(e.Id, id, StringComparison.OrdinalIgnoreCase));
        if (listed is not null)
        {
            return listed;
        }

        var resolved = await ResolveAsync(id, cancellationToken);
        return resolved.IsFallback ? null : new CatalogEntry(id, entries.FirstOrDefault(e => e.Id == resolved.UpstreamId)?.Created ?? 0);
    }

    /// <summary>Maps a client's model name; never fails: unknown names get the default model (<see cref="ResolvedModel.IsFallback"/>).</summary>
    public async ValueTask<ResolvedModel> ResolveAsync(string? requested, CancellationToken cancellationToken)
    {
        var snapshot = await GetSnapshotAsync(cancellationToken);
        var defaultId = DefaultId(snapshot);
        var name = requested?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return new ResolvedModel(defaultId, defaultId, false);
        }

        if (snapshot.Find(name) is { } exact)
        {
            return new ResolvedModel(exact.Id, name, false);
        }

        var thinking = name.EndsWith(ThinkingSuffix, StringComparison.OrdinalIgnoreCase) && name.Length > ThinkingSuffix.Length;
        var baseName = thinking ? name[..^ThinkingSuffix.Length] : name;
        var upstreamId = MapName(baseName, snapshot) ?? (SeedModels.OpenAINames.Contains(baseName) ? defaultId : null);
        if (upstreamId is null)
        {
            Log.UnknownModel(logger, name, defaultId);
            return new ResolvedModel(defaultId, name, false) { IsFallback = true };
        }

        // A model the upstream says cannot think gets a plain answer rather than an upstream error.
        var canThink = snapshot.Find(upstreamId)?.Thinking ?? true;
        return new ResolvedModel(upstreamId, name, thinking && canThink);
    }

    /// <summary>
    /// The model an image or video generation names before asking the upstream: the client's model, else the feature's
    /// configured default (Images:DefaultModel, Video:DefaultModel), else DEFAULT_MODEL. Null: discover it.
    /// </summary>
    public string? NamedGenerationModel(string? requested, string? featureDefault) =>
        Setting.Value(requested) ?? Setting.Value(featureDefault) ?? Setting.Value(qwenOptions.CurrentValue.DefaultModel);

    /// <summary><see cref="NamedGenerationModel"/>, else the first model the upstream lists for <paramref name="chatType"/> (t2i, t2v); null when none does.</summary>
    public async ValueTask<string?> ResolveGenerationModelAsync(string? requested, string? featureDefault, string chatType, CancellationToken cancellationToken) =>
        NamedGenerationModel(requested, featureDefault)
        ?? (await GetSnapshotAsync(cancellationToken)).Models.FirstOrDefault(m => m.ChatTypes.Contains(chatType))?.Id;

    /// <summary>DEFAULT_MODEL (through the alias tables), else the upstream's first model, else qwen3-max.</summary>
    public async ValueTask<string> GetDefaultModelAsync(CancellationToken cancellationToken) => DefaultId(await GetSnapshotAsync(cancellationToken));

    private string DefaultId(Snapshot snapshot)
    {
        var configured = qwenOptions.CurrentValue.DefaultModel?.Trim();
        if (!string.IsNullOrEmpty(configured))
        {
            return MapName(configured, snapshot) ?? configured;
        }

        return snapshot.Live && snapshot.Models.Count > 0 ? snapshot.Models[0].Id : LastResortDefault;
    }

    /// <summary>An upstream id for <paramref name="name"/>: a listed id, a configured alias, or a seed alias whose target is listed.</summary>
    private string? MapName(string name, Snapshot snapshot)
    {
        if (snapshot.Find(name) is { } listed)
        {
            return listed.Id;
        }

        // The operator's aliases are trusted even for ids the list does not show (e.g. while the upstream is down).
        if (proxyOptions.CurrentValue.AllModelAliases().TryGetValue(name, out var target) && target.Length > 0)
        {
            return snapshot.Find(target)?.Id ?? target.Trim();
        }

        return SeedModels.Aliases.TryGetValue(name, out var canonical) ? snapshot.Find(canonical)?.Id : null;
    }

    private async ValueTask<Snapshot> GetSnapshotAsync(CancellationToken cancellationToken)
    {
        var current = _snapshot;
        if (current is not null && current.ExpiresAt > time.GetUtcNow())
        {
            return current;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            current = _snapshot;
            if (current is not null && current.ExpiresAt > time.GetUtcNow())
            {
                return current;
            }

            return _snapshot = await FetchAsync(current, cancellationToken);
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<Snapshot> FetchAsync(Snapshot? previous, CancellationToken cancellationToken)
    {
        var ttl = proxyOptions.CurrentValue.ModelsCacheTtl;
        string reason;
        try
        {
            var models = await GetLiveModelsAsync(cancellationToken);
            if (models.Count > 0)
            {
                Log.ModelsRefreshed(logger, models.Count);
                return new Snapshot(models, Live: true, time.GetUtcNow() + ttl);
            }

            reason = "empty list";
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // QwenUpstreamException, or the resilience pipeline giving up (timeout, open circuit).
            reason = ex is QwenUpstreamException upstream ? upstream.Kind.ToString() : ex.GetType().Name;
        }

        var retryAt = time.GetUtcNow() + (ttl < FailureRetryAfter ? ttl : FailureRetryAfter);
        if (previous is { Live: true })
        {
            Log.ModelsStale(logger, reason);
            return previous with { ExpiresAt = retryAt };
        }

        Log.ModelsFallback(logger, reason);
        return new Snapshot(Seed, Live: false, retryAt);
    }

    /// <summary>The list works without a token, but signed-in accounts may see more models: ask as a usable account if any.</summary>
    private async Task<IReadOnlyList<QwenModel>> GetLiveModelsAsync(CancellationToken cancellationToken)
    {
        var account = await PickAccountAsync(cancellationToken);
        try
        {
            return await api.GetModelsAsync(account, cancellationToken);
        }
        catch (QwenUpstreamException ex) when (account is not null && ex.Kind is UpstreamErrorKind.Unauthorized or UpstreamErrorKind.RefreshRejected)
        {
            // One rejected token must not hide the list; the pool learns about the token on its next real call.
            return await api.GetModelsAsync(null, cancellationToken);
        }
    }

    private async ValueTask<QwenAccount?> PickAccountAsync(CancellationToken cancellationToken)
    {
        foreach (var account in pool.Accounts)
        {
            if (!(await pool.GetHealthAsync(account, cancellationToken)).Invalid)
            {
                return account;
            }
        }

        return null;
    }

    private static readonly IReadOnlyList<QwenModel> Seed =
        [.. SeedModels.CanonicalIds.Select(id => new QwenModel(id, id, 0, ["t2t"], Thinking: false, Vision: false))];

    private sealed record Snapshot(IReadOnlyList<QwenModel> Models, bool Live, DateTimeOffset ExpiresAt)
    {
        public QwenModel? Find(string id) => Models.FirstOrDefault(m => string.Equals(m.Id, id, StringComparison.OrdinalIgnoreCase));
    }
}
