using QwenFunctions.Accounts;
using QwenFunctions.State;

namespace QwenFunctions.Status;

/// <summary>Builds <c>/api/status</c> from what the pool already knows: no upstream call, never a secret.</summary>
public sealed class StatusService(AccountPool pool, IRefreshTokenStore refreshes, IStateStatus state, TimeProvider time)
{
    public async Task<StatusReport> GetAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var accounts = new List<AccountStatus>(pool.Accounts.Count);
        foreach (var account in pool.Accounts)
        {
            var health = await pool.GetHealthAsync(account, cancellationToken);
            var chatUntil = Running(health.ChatCooldownUntil, now);
            var refresh = account.Kind == CredentialKind.Refresh ? await refreshes.GetRecordAsync(account.Id, cancellationToken) : RefreshRecord.None;
            accounts.Add(new AccountStatus(
                account.Id,
                $"Account {account.Index + 1}",
                health.Invalid ? "INVALID" : chatUntil is null ? "OK" : "RATE_LIMITED",
                health.Invalid ? null : chatUntil,
                health.Invalid,
                new FeatureStatuses(
                    new FeatureStatus(chatUntil),
                    new FeatureStatus(Running(health.ImageCooldownUntil, now)),
                    new FeatureStatus(Running(health.VideoCooldownUntil, now))),
                health.LastErrorKind,
                account.TokenExpiresAt,
                health.Invalid ? health.InvalidReason : null,
                health.Invalid ? health.InvalidSince : null,
                account.Kind == CredentialKind.Refresh ? "refresh" : "access",
                refresh.LastRefreshAt,
                refresh.LastOutcome,
                refresh.RefreshFailures,
                refresh.RotatedTokenFingerprint is not null,
                refresh.RotatedTokenFingerprint));
        }

        var valid = accounts.Count(a => !a.Invalid);
        var message = accounts.Count == 0 ? "No token configured: set QWEN_TOKENS"
            : valid == 0 ? "No valid tokens available"
            : "Tokens available";
        return new StatusReport(valid > 0, accounts.Count, valid, message, accounts, state.GetStatus());
    }

    private static DateTimeOffset? Running(DateTimeOffset? until, DateTimeOffset now) => until > now ? until : null;
}

/// <summary>The seed's status shape plus per-feature detail and the state backend.</summary>
public sealed record StatusReport(
    bool Authenticated,
    int TotalAccounts,
    int ValidAccounts,
    string Message,
    IReadOnlyList<AccountStatus> Accounts,
    StateStatus State);

/// <param name="Id">The account fingerprint (acc_…), never the token.</param>
/// <param name="Status">OK, INVALID or RATE_LIMITED (chat), as the seed reports.</param>
/// <param name="ResetAt">When the chat cooldown ends.</param>
/// <param name="LastError">The last upstream error kind seen (e.g. RateLimited).</param>
/// <param name="TokenExpiresAt">The current access token's own expiry claim, when it has one (this instance's token).</param>
/// <param name="InvalidReason">Why the account is invalid (e.g. <c>refresh_failed</c>), null while it is valid.</param>
/// <param name="InvalidSince">Since when it is invalid.</param>
/// <param name="Credential"><c>access</c> (a pasted access token) or <c>refresh</c> (the app mints access tokens).</param>
/// <param name="LastRefreshAt">When any instance last refreshed the account.</param>
/// <param name="LastRefreshOutcome"><c>ok</c>, <c>rejected</c> (sign in again) or <c>failed</c> (the auth host failed).</param>
/// <param name="RefreshFailures">Failed refreshes since the last one that worked.</param>
/// <param name="RefreshTokenRotated">The upstream replaced the configured refresh token; the stored rotated one is in use.</param>
/// <param name="RefreshTokenFingerprint">Fingerprint (rt_…) of the rotated refresh token, never the token.</param>
public sealed record AccountStatus(
    string Id,
    string Name,
    string Status,
    DateTimeOffset? ResetAt,
    bool Invalid,
    FeatureStatuses Features,
    string? LastError,
    DateTimeOffset? TokenExpiresAt,
    string? InvalidReason,
    DateTimeOffset? InvalidSince,
    string Credential,
    DateTimeOffset? LastRefreshAt,
    string? LastRefreshOutcome,
    int RefreshFailures,
    bool RefreshTokenRotated,
    string? RefreshTokenFingerprint);

public sealed record FeatureStatuses(FeatureStatus Chat, FeatureStatus Image, FeatureStatus Video);

public sealed record FeatureStatus(DateTimeOffset? CoolingDownUntil);
