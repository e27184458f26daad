namespace QwenFunctions.Accounts;

/// <summary>What the pool knows about an account. Never holds a secret, so it can be shared through storage.</summary>
public sealed record AccountHealth
{
    public static AccountHealth Healthy { get; } = new();

    public DateTimeOffset? ChatCooldownUntil { get; init; }

    public DateTimeOffset? ImageCooldownUntil { get; init; }

    public DateTimeOffset? VideoCooldownUntil { get; init; }

    /// <summary>The reason recorded when the auth host refuses an account's refresh token.</summary>
    public const string RefreshFailedReason = "refresh_failed";

    public bool Invalid { get; init; }

    public string? InvalidReason { get; init; }

    /// <summary>When the account was marked invalid (kept while it stays invalid).</summary>
    public DateTimeOffset? InvalidSince { get; init; }

    /// <summary>The last upstream error kind seen for this account (e.g. RateLimited), for /api/status.</summary>
    public string? LastErrorKind { get; init; }

    public DateTimeOffset? CooldownUntil(QwenFeature feature) => feature switch
    {
        QwenFeature.Chat => ChatCooldownUntil,
        QwenFeature.Image => ImageCooldownUntil,
        QwenFeature.Video => VideoCooldownUntil,
        _ => throw new ArgumentOutOfRangeException(nameof(feature)),
    };

    public bool IsCoolingDown(QwenFeature feature, DateTimeOffset now) => CooldownUntil(feature) > now;

    /// <summary>Extends, never shortens, a running cooldown: two instances reporting different limits keep the longer.</summary>
    public AccountHealth WithCooldown(QwenFeature feature, DateTimeOffset until, string errorKind)
    {
        var current = CooldownUntil(feature);
        var effective = current > until ? current.Value : until;
        return feature switch
        {
            QwenFeature.Chat => this with { ChatCooldownUntil = effective, LastErrorKind = errorKind },
            QwenFeature.Image => this with { ImageCooldownUntil = effective, LastErrorKind = errorKind },
            QwenFeature.Video => this with { VideoCooldownUntil = effective, LastErrorKind = errorKind },
            _ => throw new ArgumentOutOfRangeException(nameof(feature)),
        };
    }
}
