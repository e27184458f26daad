namespace QwenFunctions.Anthropic;

/// <summary>Messages API settings (section "Anthropic").</summary>
public sealed class AnthropicOptions
{
    public const string SectionName = "Anthropic";

    /// <summary>
    /// Secret that signs the <c>thinking</c> blocks the app answers, so it can tell its own when a client sends them
    /// back. Empty: a random key per instance (signatures then verify only on the instance that made them, until it
    /// restarts). Set the same value on every instance to verify everywhere.
    /// </summary>
    public string? ThinkingSignatureKey { get; set; }
}
