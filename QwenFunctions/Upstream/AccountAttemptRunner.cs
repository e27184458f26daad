using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QwenFunctions.Accounts;
using QwenFunctions.Configuration;
using QwenFunctions.Telemetry;

namespace QwenFunctions.Upstream;

/// <summary>
/// Runs one upstream operation across accounts: bounded attempts, rotation and penalties per
/// <see cref="UpstreamFailurePolicy"/>. Callers must only pass work that has not yet sent a byte to the client.
/// </summary>
public sealed class AccountAttemptRunner(
    AccountPool pool, AccountCredentials credentials, IOptionsMonitor<QwenOptions> options, QwenMetrics metrics, TimeProvider time, ILogger<AccountAttemptRunner> logger)
{
    // What we learned about an account is recorded even when the client has gone (a dropped cooldown sends the next
    // request to the same limited account), but a stuck store must not hold a finished request for long.
    private static readonly TimeSpan StateWriteBound = TimeSpan.FromSeconds(10);

    public async Task<(T Value, QwenAccount Account)> RunAsync<T>(
        QwenFeature feature,
        string? boundAccountId,
        Func<QwenAccount, CancellationToken, Task<T>> attempt,
        CancellationToken cancellationToken)
    {
        var cooldowns = options.CurrentValue.Cooldowns;
        var maxAttempts = boundAccountId is null ? Math.Min(cooldowns.MaxAttempts, Math.Max(1, pool.Accounts.Count)) : 1;
        var excluded = new HashSet<string>();
        var softRetryUsed = false;
        var featureName = feature.ToString().ToLowerInvariant();
        var invalidatedOne = false;
        QwenUpstreamException? last = null;

        for (var attemptNo = 1; attemptNo <= maxAttempts; attemptNo++)
        {
            var account = boundAccountId is null
                ? await pool.AcquireAsync(feature, excluded, cancellationToken)
                : await pool.AcquireBoundAsync(boundAccountId, feature, cancellationToken);
            RequestTelemetry.Current?.CountAttempt();
            try
            {
                var value = await AttemptOnAccountAsync(account, featureName, attempt, cancellationToken);
                metrics.UpstreamAttempt(featureName, "success", null);
                return (value, account);
            }
            catch (QwenUpstreamException ex)
            {
                last = ex;
                var action = UpstreamFailurePolicy.Decide(ex.Kind);
                Log.AttemptFailed(logger, attemptNo, account.Id, ex.Kind.ToString(), action.ToString());
                metrics.UpstreamAttempt(featureName, OutcomeClass(action), ex.Kind.ToString());
                switch (action)
                {
                    case FailureAction.CoolDownAndRotate:
                        var hours = ex.RetryAfterHours is > 0 ? TimeSpan.FromHours(ex.RetryAfterHours.Value) : cooldowns.RateLimitDefault;
                        await RecordAsync(ct => pool.CoolDownAsync(account, feature, hours, ex.Kind.ToString(), ct));
                        break;
                    case FailureAction.InvalidateAndRotate when invalidatedOne:
                        // Two accounts refused in one request look like a gateway glitch more than two dead tokens:
                        // one request never invalidates several accounts; a later request judges this one on its own.
                        Log.SecondInvalidationSkipped(logger, account.Id);
                        break;
                    case FailureAction.InvalidateAndRotate:
                        invalidatedOne = true;
                        await RecordAsync(ct => pool.InvalidateAsync(account, InvalidReason(ex), ct));
                        break;
                    case FailureAction.SoftLimitAndRotateOnce:
                        await RecordAsync(ct => pool.CoolDownAsync(account, feature, cooldowns.SoftLimit, ex.Kind.ToString(), ct));
                        if (softRetryUsed)
                        {
                            throw UpstreamFailurePolicy.ToApiException(ex);
                        }

                        softRetryUsed = true;
                        break;
                    case FailureAction.RotateWithoutPenalty:
                        break;
                    case FailureAction.BackOffAndFail:
                        await RecordAsync(ct => pool.CoolDownAsync(account, feature, cooldowns.WafBackoff, ex.Kind.ToString(), ct));
                        throw UpstreamFailurePolicy.ToApiException(ex, cooldowns.WafBackoff);
                    default:
                        throw UpstreamFailurePolicy.ToApiException(ex);
                }

                excluded.Add(account.Id);
                if (boundAccountId is not null)
                {
                    break;
                }

                if (attemptNo < maxAttempts)
                {
                    metrics.Rotation(featureName, ex.Kind.ToString());
                }

                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        // Attempts ran out. If the pool itself is now exhausted, say so (429 + Retry-After); else report the last failure.
        if (boundAccountId is null && last is { Kind: UpstreamErrorKind.RateLimited or UpstreamErrorKind.Unauthorized })
        {
            throw await pool.DescribeExhaustionAsync(feature, cancellationToken);
        }

        throw UpstreamFailurePolicy.ToApiException(last!);
    }

    /// <summary>
    /// One attempt on one account. A refused access token of a refresh account is refreshed once and the attempt runs
    /// again on the same account, before any rotation: short-lived tokens expire between the check and the upstream.
    /// A refused refresh token (<see cref="UpstreamErrorKind.RefreshRejected"/>) goes to the policy like any failure.
    /// </summary>
    private async Task<T> AttemptOnAccountAsync<T>(QwenAccount account, string featureName, Func<QwenAccount, CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        var use = AccessTokenUse.Begin();
        try
        {
            return await attempt(account, cancellationToken);
        }
        catch (QwenUpstreamException ex) when (ex.Kind == UpstreamErrorKind.Unauthorized && account.Kind == CredentialKind.Refresh && use.AccountId == account.Id)
        {
            Log.RefreshingAfterRejection(logger, account.Id);
            metrics.UpstreamAttempt(featureName, "refresh_and_retry", ex.Kind.ToString());
            await credentials.RefreshAfterRejectionAsync(account, use.Generation, cancellationToken);
            RequestTelemetry.Current?.CountAttempt();
            return await attempt(account, cancellationToken);
        }
    }

    private async Task RecordAsync(Func<CancellationToken, ValueTask> write)
    {
        using var bound = new CancellationTokenSource(StateWriteBound, time);
        await write(bound.Token);
    }
    /// <summary>The policy table's action as a metric value: cool_down_and_rotate, invalidate_and_rotate, ...</summary>
    private static string OutcomeClass(FailureAction action) => action switch
    {
        FailureAction.CoolDownAndRotate => "cool_down_and_rotate",
        FailureAction.InvalidateAndRotate => "invalidate_and_rotate",
        FailureAction.SoftLimitAndRotateOnce => "soft_limit_and_rotate_once",
        FailureAction.RotateWithoutPenalty => "rotate_without_penalty",
        FailureAction.BackOffAndFail => "back_off_and_fail",
        _ => "fail",
    };

    /// <summary>A short, secret-free reason for /api/status: the kind of refusal, not the upstream's text.</summary>
    internal static string InvalidReason(QwenUpstreamException ex) => ex.Kind == UpstreamErrorKind.RefreshRejected
        ? AccountHealth.RefreshFailedReason
        : ex.UpstreamCode is { Length: > 0 } code ? $"unauthorized ({code})" : $"unauthorized (HTTP {ex.UpstreamStatus ?? 401})";
}
