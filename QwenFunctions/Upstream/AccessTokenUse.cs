namespace QwenFunctions.Upstream;

/// <summary>
/// Which access token an attempt sent, so that a refusal refreshes once for everyone who sent that token (not once per
/// refused request). The attempt runner opens one per attempt; the header handler records into it.
/// </summary>
internal sealed class AccessTokenUse
{
    private static readonly AsyncLocal<AccessTokenUse?> Current = new();

    public string? AccountId { get; private set; }

    public int Generation { get; private set; }

    /// <summary>A fresh record for the work that runs from here (the async flow below the caller).</summary>
    public static AccessTokenUse Begin() => Current.Value = new AccessTokenUse();

    public static void Record(string accountId, int generation)
    {
        if (Current.Value is { } use)
        {
            use.AccountId = accountId;
            use.Generation = generation;
        }
    }
}
