using QwenFunctions.Accounts;
using QwenFunctions.State;

namespace QwenFunctions.Tests.State;

public sealed class AccountHealthMergeTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Merge_LocalOutageKnowledge_KeepsTheLaterCooldownsAndTheInvalidFlag()
    {
        var shared = new AccountHealth { ChatCooldownUntil = Noon.AddHours(1), ImageCooldownUntil = Noon.AddHours(3) };
        var local = new AccountHealth { ChatCooldownUntil = Noon.AddHours(2), Invalid = true, InvalidReason = "expired", LastErrorKind = "Unauthorized" };

        var merged = SharedAccountHealthStore.Merge(shared, local);

        Assert.Equal(Noon.AddHours(2), merged.ChatCooldownUntil);
        Assert.Equal(Noon.AddHours(3), merged.ImageCooldownUntil);
        Assert.Null(merged.VideoCooldownUntil);
        Assert.True(merged.Invalid);
        Assert.Equal("expired", merged.InvalidReason);
        Assert.Equal("Unauthorized", merged.LastErrorKind);
    }

    [Fact]
    public void Merge_NothingLearnedLocally_ReturnsTheSharedHealth()
    {
        var shared = new AccountHealth { VideoCooldownUntil = Noon, Invalid = true, InvalidReason = "revoked", LastErrorKind = "Unauthorized" };

        Assert.Equal(shared, SharedAccountHealthStore.Merge(shared, AccountHealth.Healthy));
    }
}
