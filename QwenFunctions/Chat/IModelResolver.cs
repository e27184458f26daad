using Microsoft.Extensions.Options;
using QwenFunctions.Configuration;

namespace QwenFunctions.Chat;

/// <summary>An upstream model id and whether the requested name asked for thinking.</summary>
public sealed record ResolvedModel(string UpstreamId, bool Thinking);

/// <summary>Maps a client's model name (alias, <c>-thinking</c> variant, or nothing) to an upstream model.</summary>
public interface IModelResolver
{
    ResolvedModel Resolve(string? requested);
}

/// <summary>
/// Stand-in until the model catalog lands: <c>-thinking</c> switches thinking on, configured aliases apply,
/// anything else passes through; no name means Qwen:DefaultModel.
/// </summary>
public sealed class PassThroughModelResolver(IOptionsMonitor<QwenOptions> qwen, IOptionsMonitor<ProxyOptions> proxy) : IModelResolver
{
    internal const string FallbackModel = "qwen3-max";
    private const string ThinkingSuffix = "-thinking";

    public ResolvedModel Resolve(string? requested)
    {
        var name = string.IsNullOrWhiteSpace(requested) ? qwen.CurrentValue.DefaultModel ?? FallbackModel : requested.Trim();
        var thinking = name.EndsWith(ThinkingSuffix, StringComparison.OrdinalIgnoreCase);
        if (thinking)
        {
            name = name[..^ThinkingSuffix.Length];
        }

        if (proxy.CurrentValue.ModelAliases.TryGetValue(name, out var alias) && !string.IsNullOrWhiteSpace(alias))
        {
            name = alias;
        }

        return new ResolvedModel(name, thinking);
    }
}
