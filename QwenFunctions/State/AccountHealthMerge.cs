using QwenFunctions.Accounts;

namespace QwenFunctions.State;

/// <summary>
/// Combines what the table says with what this instance learned while the table was unreachable. Health only gets
/// worse until a cooldown ends (cooldowns extend, invalidation sticks), so keeping the worse of both loses nothing.
/// </summary>
public static class AccountHealthMerge
{
    public static AccountHealth Merge(AccountHealth shared, AccountHealth local) => shared with
    {
        ChatCooldownUntil = Later(shared.ChatCooldownUntil, local.ChatCooldownUntil),
        ImageCooldownUntil = Later(shared.ImageCooldownUntil, local.ImageCooldownUntil),
        VideoCooldownUntil = Later(shared.VideoCooldownUntil, local.VideoCooldownUntil),
        Invalid = shared.Invalid || local.Invalid,
        InvalidReason = shared.Invalid ? shared.InvalidReason : local.InvalidReason,
        InvalidSince = shared.Invalid ? shared.InvalidSince : local.InvalidSince,
        LastErrorKind = local.LastErrorKind ?? shared.LastErrorKind,
    };

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
