namespace QwenFunctions.Models;

/// <summary>The seed app's model list and alias table (docs/upstream.md B.6), and the OpenAI names clients send by default.</summary>
internal static class SeedModels
{
    /// <summary>Served when the upstream's list cannot be fetched; many of these ids are gone upstream, so it is only a fallback.</summary>
    public static readonly IReadOnlyList<string> CanonicalIds =
    [
        "qwen3-max", "qwen3-vl-plus", "qwen3-coder-plus", "qwen3-omni-flash", "qwen-plus-2025-09-11", "qwen3-235b-a22b",
        "qwen3-30b-a3b", "qwen3-coder-30b-a3b-instruct", "qwen-max-latest", "qwen-plus-2025-01-25", "qwq-32b",
        "qwen-turbo-2025-02-11", "qwen2.5-omni-7b", "qvq-72b-preview-0310", "qwen2.5-vl-32b-instruct",
        "qwen2.5-14b-instruct-1m", "qwen2.5-coder-32b-instruct", "qwen2.5-72b-instruct",
    ];

    /// <summary>Alias → canonical id (case-insensitive).</summary>
    public static readonly IReadOnlyDictionary<string, string> Aliases = Build(new Dictionary<string, string[]>
    {
        ["qwen3-max"] = ["qwen-max", "Qwen3-Maximum", "qwen3-max-preview"],
        ["qwen3-vl-plus"] = ["qwen-vl", "qwen-vl-plus", "qwen-vl-plus-latest", "qwen-vl-max", "qwen-vl-max-latest", "qwen3-vl-235b-a22b"],
        ["qwen3-coder-plus"] = ["qwen3-coder", "qwen-coder-plus", "qwen-coder-plus-latest", "qwen2.5-coder-3b-instruct", "qwen2.5-coder-1.5b-instruct", "qwen2.5-coder-0.5b-instruct"],
        ["qwen3-omni-flash"] = ["qwen3-omni", "qwen3-omni-latest"],
        ["qwen-plus-2025-09-11"] = ["qwen-plus", "qwen-plus-latest", "qwen3-next", "qwen3-next-80b-a3b"],
        ["qwen3-235b-a22b"] = ["qwen3", "qwen-3", "qwen3-235b", "qwen3-235b-a22b-2507"],
        ["qwen3-30b-a3b"] = ["qwen3-plus", "qwen3-30b", "qwen3-30b-a3b-2507"],
        ["qwen3-coder-30b-a3b-instruct"] = ["qwen3-coder-flash", "qwen3-coder-30b"],
        ["qwen-max-latest"] = ["qwen2.5-max"],
        ["qwen-plus-2025-01-25"] = ["qwen2.5-plus"],
        ["qwq-32b"] = ["qwq", "qwq-32b-preview"],
        ["qwen-turbo-2025-02-11"] = ["qwen-turbo", "qwen-turbo-latest", "qwen2.5-turbo"],
        ["qwen2.5-omni-7b"] = ["qwen2.5-omni", "qwen-omni-7b"],
        ["qvq-72b-preview-0310"] = ["qvq", "qvq-max", "qvq-72b"],
        ["qwen2.5-vl-32b-instruct"] = ["qwen2.5-vl"],
        ["qwen2.5-14b-instruct-1m"] = ["qwen2.5-14b", "qwen2.5-coder-14b-instruct"],
        ["qwen2.5-coder-32b-instruct"] = ["qwen2.5-coder", "qwen2.5-coder-plus"],
        ["qwen2.5-72b-instruct"] = ["qwen2.5-72b"],
    });

    /// <summary>Names OpenAI clients send out of the box; they mean "the default model" unless Proxy:ModelAliases says otherwise.</summary>
    public static readonly IReadOnlySet<string> OpenAINames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "gpt-4o", "gpt-4o-mini", "gpt-4", "gpt-4-turbo", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-3.5-turbo",
        "gpt-5", "gpt-5-mini", "gpt-5-nano", "chatgpt-4o-latest", "o1", "o1-mini", "o3", "o3-mini", "o4-mini",
    };

    private static Dictionary<string, string> Build(Dictionary<string, string[]> groups)
    {
        var aliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (canonical, names) in groups)
        {
            foreach (var name in names)
            {
                aliases[name] = canonical;
            }
        }

        return aliases;
    }
}
