using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QwenFunctions.Configuration;
using QwenFunctions.Http;

namespace QwenFunctions.Accounts;

/// <summary>Round-robin over usable accounts, with per-feature cooldowns and invalidation kept in <see cref="IAccountHealthStore"/>.</summary>
public sealed class AccountPool
{
    private readonly IOptionsMonitor<QwenOptions> _options;
    private readonly IAccountHealthStore _health;
    private readonly TimeProvider _time;
    private readonly ILogger<AccountPool> _logger;
    private readonly ConcurrentDictionary<string, AccountSession> _sessions = new(StringComparer.Ordinal);
    private volatile IReadOnlyList<QwenAccount> _accounts;
    private int _cursor = -1;

    public AccountPool(IOptionsMonitor<QwenOptions> options, IAccountHealthStore health, TimeProvider time, ILogger<AccountPool> logger)
    {
        _options = options;
        _health = health;
        _time = time;
        _logger = logger;
        _accounts = AccountList.From(options.CurrentValue, Session);
        options.OnChange(o => _accounts = AccountList.From(o, Session));
    }

    public IReadOnlyList<QwenAccount> Accounts => _accounts;

    // One session per account id for the pool's life: a settings reload must not forget minted tokens and cookies.
    private AccountSession Session(string accountId) => _sessions.GetOrAdd(accountId, _ => new AccountSession());

    public QwenAccount? Find(string accountId) => _accounts.FirstOrDefault(a => a.Id == accountId);

    public ValueTask<AccountHealth> GetHealthAsync(QwenAccount account, CancellationToken cancellationToken) =>
        _health.GetAsync(account.Id, cancellationToken);

    /// <summary>The next usable account for <paramref name="feature"/>, skipping <paramref name="exclude"/>.</summary>
    /// <exception cref="ApiException">503 when no account is configured or all are invalid; 429 when all are cooling down.</exception>
    public async ValueTask<QwenAccount> AcquireAsync(QwenFeature feature, IReadOnlySet<string> exclude, CancellationToken cancellationToken)
    {
        var accounts = _accounts;
        EnsureConfigured(accounts);
        var now = _time.GetUtcNow();
        var start = Interlocked.Increment(ref _cursor);
        DateTimeOffset? soonest = null;
        for (var i = 0; i < accounts.Count; i++)
        {
            var account = accounts[(int)((uint)(start + i) % (uint)accounts.Count)];
            if (exclude.Contains(account.Id))
            {
                continue;
            }

            var health = await _health.GetAsync(account.Id, cancellationToken);
            if (health.Invalid)
            {
                continue;
            }

            if (health.IsCoolingDown(feature, now))
            {
                soonest = Min(soonest, health.CooldownUntil(feature)!.Value);
                continue;
            }

            return account;
        }

        throw soonest is null ? NoValidAccount() : Exhausted(feature, soonest.Value - now);
    }

    /// <summary>The account that owns an upstream chat or file; it must be usable now, since nothing else can serve it.</summary>
    public async ValueTask<QwenAccount> AcquireBoundAsync(string accountId, QwenFeature feature, CancellationToken cancellationToken)
    {
        EnsureConfigured(_accounts);
        var account = Find(accountId) ?? throw new ApiException(
            HttpStatusCode.Conflict, "invalid_request_error", "conversation_account_unavailable",
            "The account that owns this conversation is no longer configured; start a new conversation.");
        var health = await _health.GetAsync(account.Id, cancellationToken);
        if (health.Invalid)
        {
            throw new ApiException(HttpStatusCode.Conflict, "invalid_request_error", "conversation_account_unavailable",
                "The account that owns this conversation is no longer valid; start a new conversation.");
        }

        var now = _time.GetUtcNow();
        if (health.IsCoolingDown(feature, now))
        {
            throw Exhausted(feature, health.CooldownUntil(feature)!.Value - now, "The account that owns this conversation is rate limited upstream.");
        }

        return account;
    }

    public async ValueTask CoolDownAsync(QwenAccount account, QwenFeature feature, TimeSpan duration, string errorKind, CancellationToken cancellationToken)
    {
        var until = _time.GetUtcNow() + duration;
        await _health.UpdateAsync(account.Id, h => h.WithCooldown(feature, until, errorKind), cancellationToken);
        Log.CooledDown(_logger, account.Id, feature, until, errorKind);
    }

    public async ValueTask InvalidateAsync(QwenAccount account, string reason, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        await _health.UpdateAsync(account.Id, h => h with
        {
            Invalid = true,
            InvalidReason = reason,
            InvalidSince = h.Invalid ? h.InvalidSince ?? now : now,
            LastErrorKind = reason == AccountHealth.RefreshFailedReason ? "RefreshRejected" : "Unauthorized",
        }, cancellationToken);
        Log.Invalidated(_logger, account.Id, reason);
    }

    /// <summary>Clears an invalid mark: the account proved it works again (a refresh succeeded).</summary>
    public async ValueTask RestoreAsync(QwenAccount account, CancellationToken cancellationToken)
    {
        var health = await _health.GetAsync(account.Id, cancellationToken);
        if (!health.Invalid)
        {
            return;
        }

        await _health.UpdateAsync(account.Id, h => h with { Invalid = false, InvalidReason = null, InvalidSince = null }, cancellationToken);
        Log.Restored(_logger, account.Id);
    }

    /// <summary>The 429 a client gets when every account is cooling down for <paramref name="feature"/>.</summary>
    public async ValueTask<ApiException> DescribeExhaustionAsync(QwenFeature feature, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        DateTimeOffset? soonest = null;
        foreach (var account in _accounts)
        {
            var health = await _health.GetAsync(account.Id, cancellationToken);
            if (!health.Invalid && health.IsCoolingDown(feature, now))
            {
                soonest = Min(soonest, health.CooldownUntil(feature)!.Value);
            }
            else if (!health.Invalid)
            {
                // Someone is usable again; the caller ran out of attempts, not of accounts.
                return new ApiException(HttpStatusCode.ServiceUnavailable, "server_error", "upstream_unavailable",
                    "The upstream failed on every account tried for this request; try again shortly.")
                { RetryAfter = TimeSpan.FromSeconds(5), ShouldRetry = true };
            }
        }

        return soonest is null ? NoValidAccount() : Exhausted(feature, soonest.Value - now);
    }

    private static void EnsureConfigured(IReadOnlyList<QwenAccount> accounts)
    {
        if (accounts.Count == 0)
        {
            throw new ApiException(HttpStatusCode.ServiceUnavailable, "server_error", "no_accounts_configured",
                "No Qwen account is configured: set QWEN_TOKENS (or QWEN_TOKEN) in the app settings.")
            { ShouldRetry = false };
        }
    }

    private static ApiException NoValidAccount() =>
        new(HttpStatusCode.ServiceUnavailable, "server_error", "no_valid_accounts",
            "Every configured Qwen account has been rejected by the upstream (invalid or expired token); replace the tokens.")
        { ShouldRetry = false };

    private static ApiException Exhausted(QwenFeature feature, TimeSpan wait, string? message = null)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        return new ApiException(HttpStatusCode.TooManyRequests, "insufficient_quota", "insufficient_quota",
            message ?? $"Every Qwen account has reached its {feature.ToString().ToLowerInvariant()} limit; the soonest recovers in {TimeSpan.FromSeconds(seconds)}.")
        { RetryAfter = TimeSpan.FromSeconds(seconds), ShouldRetry = false };
    }

    private static DateTimeOffset Min(DateTimeOffset? a, DateTimeOffset b) => a is null || b < a ? b : a.Value;
}
