using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QwenFunctions.Accounts;
using QwenFunctions.Configuration;

namespace QwenFunctions.Upstream;

/// <summary>
/// The access token each upstream request of an account carries. Refresh accounts mint one before first use and a
/// new one ahead of its expiry (never once per request); one refresh per account runs at a time in this instance (the
/// session's gate) and across instances (the <see cref="IRefreshTokenStore"/> lease), and everyone waiting uses its
/// result. A rotated refresh token goes to the store before the lease ends, so no instance sends a retired one.
/// </summary>
public sealed class AccountCredentials(
    QwenAuthClient auth, IRefreshTokenStore store, IOptionsMonitor<QwenOptions> options, TimeProvider time, ILogger<AccountCredentials> logger)
{
    // A minted token without `exp` is assumed to live as long as today's access tokens (docs/upstream.md §10.1).
    internal static readonly TimeSpan AssumedLifetime = TimeSpan.FromMinutes(15);
    internal static readonly TimeSpan LeasePoll = TimeSpan.FromMilliseconds(100);

    // This instance, as the lease holder. Random: two hosts on one machine (or in one test process) are two holders.
    private readonly string _holder = Guid.NewGuid().ToString("N");

    /// <summary>The token to send now; mints or refreshes first when due. Records the token's generation for the attempt runner.</summary>
    public async ValueTask<string> AccessTokenAsync(QwenAccount account, CancellationToken cancellationToken)
    {
        if (account.Kind == CredentialKind.Access)
        {
            AccessTokenUse.Record(account.Id, 0);
            return account.ConfiguredToken!;
        }

        var current = Current(account);
        var grant = current is not null && IsFresh(current)
            ? current
            : await RefreshAsync(account, current?.Generation ?? 0, rejected: false, cancellationToken);
        AccessTokenUse.Record(account.Id, grant.Generation);
        return grant.Token;
    }

    /// <summary>
    /// The upstream refused the access token of generation <paramref name="refusedGeneration"/>: mint a new one, unless
    /// someone already has since that token was sent.
    /// </summary>
    /// <exception cref="QwenUpstreamException"><see cref="UpstreamErrorKind.RefreshRejected"/> when the refresh token is refused too.</exception>
    public async Task RefreshAfterRejectionAsync(QwenAccount account, int refusedGeneration, CancellationToken cancellationToken) =>
        await RefreshAsync(account, refusedGeneration, rejected: true, cancellationToken);

    private async Task<AccessGrant> RefreshAsync(QwenAccount account, int seenGeneration, bool rejected, CancellationToken cancellationToken)
    {
        var session = account.Session;
        await session.RefreshGate.WaitAsync(cancellationToken);
        try
        {
            // Whoever held the gate before may have minted what we need.
            var current = Current(account);
            if (current is not null && current.Generation != seenGeneration && (rejected ? IsUsable(current) : IsFresh(current)))
            {
                return current;
            }

            // A token that still works is the fallback of a refresh ahead of time; a refused one is no fallback.
            var fallback = !rejected && current is not null && IsUsable(current) ? current : null;
            return await RefreshUnderGateAsync(account, fallback, cancellationToken);
        }
        finally
        {
            session.RefreshGate.Release();
        }
    }

    private async Task<AccessGrant> RefreshUnderGateAsync(QwenAccount account, AccessGrant? fallback, CancellationToken cancellationToken)
    {
        var lease = await LeaseAsync(account, fallback, cancellationToken);
        if (lease is null)
        {
            return fallback!; // another instance is refreshing; what we have still works
        }

        // The stored (rotated) token wins over the configured one: the upstream may have retired the configured one.
        var sent = lease.RefreshToken ?? account.ConfiguredRefreshToken!;
        if (sent == account.Session.RefusedRefreshToken)
        {
            // Known dead: no second call to the auth host, and nothing new to record.
            await ReleaseAsync(lease, null);
            throw new QwenUpstreamException(UpstreamErrorKind.RefreshRejected, "The auth host has already refused this refresh token.");
        }

        MintedTokens minted;
        try
        {
            // Not the caller's token: a client that goes away must not cut a refresh whose answer may carry the only
            // refresh token that still works.
            using var bound = new CancellationTokenSource(options.CurrentValue.Timeouts.Request, time);
            minted = await auth.RefreshAsync(account, sent, bound.Token);
        }
        catch (QwenUpstreamException ex)
        {
            var rejected = ex.Kind == UpstreamErrorKind.RefreshRejected;
            if (rejected)
            {
                account.Session.RefusedRefreshToken = sent;
            }

            await ReleaseAsync(lease, new RefreshOutcome(rejected ? RefreshOutcomes.Rejected : RefreshOutcomes.Failed, time.GetUtcNow()));
            if (rejected)
            {
                Log.RefreshRejected(logger, account.Id);
                throw;
            }

            Log.RefreshFailed(logger, account.Id, ex.Kind.ToString(), fallback is not null);
            if (fallback is null)
            {
                throw;
            }

            return fallback;
        }

        var now = time.GetUtcNow();
        var rotated = minted.RefreshToken is { } returned && returned != sent ? returned : null;
        await ReleaseAsync(lease, new RefreshOutcome(RefreshOutcomes.Ok, now, rotated));
        var grant = account.Session.Mint(minted.AccessToken, JwtExpiry.TryRead(minted.AccessToken) ?? now + AssumedLifetime, now);
        Log.Refreshed(logger, account.Id, rotated is not null, grant.ExpiresAt);
        return grant;
    }

    /// <summary>The account's refresh lease; null when another instance holds it and <paramref name="fallback"/> still works.</summary>
    private async Task<RefreshLease?> LeaseAsync(QwenAccount account, AccessGrant? fallback, CancellationToken cancellationToken)
    {
        var duration = LeaseDuration;
        var giveUpAt = time.GetUtcNow() + duration;
        while (true)
        {
            var result = await store.TryLeaseAsync(account.Id, _holder, time.GetUtcNow() + duration, cancellationToken);
            if (result.Lease is { } lease)
            {
                return lease;
            }

            if (fallback is not null)
            {
                return null;
            }

            if (time.GetUtcNow() >= giveUpAt)
            {
                throw new QwenUpstreamException(UpstreamErrorKind.Transient, "Another instance has been refreshing this account for too long.");
            }

            // Its result is the rotated refresh token, read from the store when the lease is ours.
            await Task.Delay(LeasePoll, time, cancellationToken);
        }
    }

    private async Task ReleaseAsync(RefreshLease lease, RefreshOutcome? outcome)
    {
        // Bounded, and not the caller's token either: the rotated token must reach the store even when the client went.
        using var bound = new CancellationTokenSource(options.CurrentValue.Timeouts.Request, time);
        await store.ReleaseAsync(lease, outcome, bound.Token);
    }

    // Longer than one refresh call may take, so a lease never runs out under a refresh that is still going.
    private TimeSpan LeaseDuration => options.CurrentValue.Timeouts.Request * 2;

    /// <summary>The minted token, else the configured one (generation 0); null before a refresh-only account's first mint.</summary>
    private static AccessGrant? Current(QwenAccount account) =>
        account.Session.Access ?? (account.ConfiguredToken is { } configured
            ? new AccessGrant(configured, account.ConfiguredTokenExpiresAt, DateTimeOffset.MinValue, 0)
            : null);

    /// <summary>Not due for a refresh: more than the margin (at most half its life, for short-lived tokens) left.</summary>
    private bool IsFresh(AccessGrant grant)
    {
        if (grant.ExpiresAt is not { } expires)
        {
            return true; // a configured token without `exp`: used until the upstream refuses it
        }

        var margin = options.CurrentValue.RefreshMargin;
        if (grant.Generation > 0)
        {
            margin = TimeSpan.FromTicks(Math.Min(margin.Ticks, (expires - grant.ObtainedAt).Ticks / 2));
        }

        return time.GetUtcNow() < expires - margin;
    }

    private bool IsUsable(AccessGrant grant) => grant.ExpiresAt is not { } expires || time.GetUtcNow() < expires;
}
