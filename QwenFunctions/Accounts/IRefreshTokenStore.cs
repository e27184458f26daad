namespace QwenFunctions.Accounts;

/// <summary>
/// Where an account's refresh token lives once the upstream has rotated it, and the lease that lets one refresh of
/// an account run at a time across every instance. Memory for one instance; the shared state table (encrypted) when
/// the app scales out, so a rotated token replaces the configured one everywhere and survives restarts.
/// Accounts are keyed by <see cref="QwenAccount.Id"/>: a fingerprint of the configured refresh token, never the token.
/// </summary>
public interface IRefreshTokenStore
{
    /// <summary>Takes the account's refresh lease for <paramref name="holder"/> until <paramref name="until"/>, unless someone else holds it.</summary>
    ValueTask<RefreshLeaseResult> TryLeaseAsync(string accountId, string holder, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Ends a lease: records the outcome (none: no refresh was tried), and the new refresh token when the refresh rotated it.</summary>
    ValueTask ReleaseAsync(RefreshLease lease, RefreshOutcome? outcome, CancellationToken cancellationToken);

    /// <summary>What is known about the account's refreshes, shared by every instance; never the token.</summary>
    ValueTask<RefreshRecord> GetRecordAsync(string accountId, CancellationToken cancellationToken);
}

/// <summary>A held lease. <see cref="RefreshToken"/> is the newest stored (rotated) token, or null: use the configured one.</summary>
public sealed class RefreshLease(string accountId, string holder, DateTimeOffset until, string? refreshToken, object? version = null)
{
    public string AccountId { get; } = accountId;

    public string Holder { get; } = holder;

    public DateTimeOffset Until { get; } = until;

    public string? RefreshToken { get; } = refreshToken;

    /// <summary>The store's own concurrency token (an ETag for the table).</summary>
    internal object? Version { get; } = version;

    public override string ToString() => $"refresh lease of {AccountId} held by {Holder} until {Until:o}";
}

/// <summary>Either a lease, or when the lease someone else holds ends.</summary>
public readonly record struct RefreshLeaseResult(RefreshLease? Lease, DateTimeOffset? BusyUntil)
{
    public static RefreshLeaseResult Busy(DateTimeOffset until) => new(null, until);
}

/// <summary>How a refresh ended.</summary>
public static class RefreshOutcomes
{
    public const string Ok = "ok";

    /// <summary>The auth host refused the refresh token: the account needs a new sign-in.</summary>
    public const string Rejected = "rejected";

    /// <summary>The auth host failed or did not answer; the refresh token may still be good.</summary>
    public const string Failed = "failed";
}

/// <summary>What a finished refresh tells the store. A class: a record would print the token.</summary>
public sealed class RefreshOutcome(string result, DateTimeOffset at, string? rotatedRefreshToken = null)
{
    /// <summary>One of <see cref="RefreshOutcomes"/>.</summary>
    public string Result { get; } = result;

    public DateTimeOffset At { get; } = at;

    /// <summary>The refresh token the upstream returned when it differs from the one sent; the old one is retired.</summary>
    public string? RotatedRefreshToken { get; } = rotatedRefreshToken;

    public override string ToString() => Result;
}

/// <param name="RotatedTokenFingerprint">Fingerprint of the stored rotated refresh token; null while the configured one is in use.</param>
/// <param name="RefreshFailures">Failed refreshes since the last one that worked.</param>
public sealed record RefreshRecord(
    string? RotatedTokenFingerprint,
    DateTimeOffset? RotatedAt,
    DateTimeOffset? LastRefreshAt,
    string? LastOutcome,
    int RefreshFailures)
{
    public static RefreshRecord None { get; } = new(null, null, null, null, 0);

    public RefreshRecord After(RefreshOutcome outcome) => this with
    {
        RotatedTokenFingerprint = outcome.RotatedRefreshToken is { } rotated ? RotatedFingerprint(rotated) : RotatedTokenFingerprint,
        RotatedAt = outcome.RotatedRefreshToken is not null ? outcome.At : RotatedAt,
        LastRefreshAt = outcome.At,
        LastOutcome = outcome.Result,
        RefreshFailures = outcome.Result == RefreshOutcomes.Ok ? 0 : RefreshFailures + 1,
    };

    /// <summary>"rt_" and 12 hex digits of SHA-256: tells rotations apart without revealing the token.</summary>
    public static string RotatedFingerprint(string refreshToken) => "rt_" + QwenAccount.Fingerprint(refreshToken)[4..];
}
