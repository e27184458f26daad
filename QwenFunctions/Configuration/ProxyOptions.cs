using System.ComponentModel.DataAnnotations;

namespace QwenFunctions.Configuration;

/// <summary>How the proxy itself behaves towards its clients.</summary>
public sealed class ProxyOptions : IValidatableObject
{
    public const string SectionName = "Proxy";

    /// <summary>Comma-separated client API keys (API_KEYS). Empty: the API is open.</summary>
    public string? ApiKeys { get; set; }

    /// <summary>Cap on JSON request bodies; larger bodies get 413 before anything goes upstream.</summary>
    [Range(1024, 200 * 1024 * 1024)]
    public long MaxJsonBodyBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>Cap on the single upstream message we build from a stateless history (the WAF trips near 128 KB).</summary>
    [Range(1024, 10 * 1024 * 1024)]
    public int MaxUpstreamMessageBytes { get; set; } = 100 * 1000;

    /// <summary>
    /// How long a stateless history can continue the upstream chat of an answer this app produced (only the new turns
    /// go upstream). Zero turns it off: every stateless history is folded into one message.
    /// </summary>
    public TimeSpan ContinuationLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Where reasoning goes in OpenAI answers.</summary>
    public ReasoningOutput ReasoningOutput { get; set; } = ReasoningOutput.ReasoningContent;

    /// <summary>Extra model aliases (Proxy__ModelAliases__gpt-4o=qwen3-max), applied after the built-in ones.</summary>
    public Dictionary<string, string> ModelAliases { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The same aliases as one setting, "gpt-4o=qwen3-max,gpt-4o-mini=qwen3.5-flash": Linux app settings cannot carry
    /// a '-' in their name, so Proxy__ModelAliases__gpt-4o is impossible there. Entries here win over ModelAliases.
    /// </summary>
    public string? ModelAliasList { get; set; }

    public TimeSpan ModelsCacheTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>When true, the OpenAPI document and Swagger UI also need an API key (default: anonymous).</summary>
    public bool RequireApiKeyForDocs { get; set; }

    public IReadOnlyList<string> ParseApiKeys() => Split(ApiKeys);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Unset (or empty) is an intentionally open API; a value that lists no key is a typo that must not open it.
        if (!string.IsNullOrEmpty(ApiKeys) && ParseApiKeys().Count == 0)
        {
            yield return new ValidationResult(
                "API_KEYS is set but lists no key (only spaces or commas); list the client keys comma-separated, or leave API_KEYS unset for an open API.",
                [nameof(ApiKeys)]);
        }

        if (ContinuationLifetime < TimeSpan.Zero)
        {
            yield return new ValidationResult($"Proxy:ContinuationLifetime must be zero (off) or positive; got '{ContinuationLifetime}'.", [nameof(ContinuationLifetime)]);
        }
    }

    /// <summary>ModelAliases plus the entries of ModelAliasList, which win.</summary>
    public IReadOnlyDictionary<string, string> AllModelAliases()
    {
        var aliases = new Dictionary<string, string>(ModelAliases, StringComparer.OrdinalIgnoreCase);
        foreach (var entry in Split(ModelAliasList))
        {
            var separator = entry.IndexOf('=');
            if (separator > 0 && separator < entry.Length - 1)
            {
                aliases[entry[..separator].Trim()] = entry[(separator + 1)..].Trim();
            }
        }

        return aliases;
    }

    internal static IReadOnlyList<string> Split(string? csv) =>
        string.IsNullOrWhiteSpace(csv) ? [] : csv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public enum ReasoningOutput
{
    /// <summary>`delta.reasoning_content` / `message.reasoning_content` (DeepSeek/vLLM convention).</summary>
    ReasoningContent,

    /// <summary>Inline `&lt;think&gt;…&lt;/think&gt;` before the answer, for legacy clients.</summary>
    ThinkTags,

    /// <summary>Reasoning dropped.</summary>
    Off,
}
