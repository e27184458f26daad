using Microsoft.Extensions.Options;
using QwenFunctions.Configuration;

namespace QwenFunctions.Upstream;

/// <summary>
/// Proxy:MaxUpstreamMessageBytes for every surface: the upstream WAF trips near 128 KB of completion body, whatever
/// built it (a folded chat history, an image prompt). Measured on the body the upstream would get, before anything
/// (a model lookup, a chat) goes upstream.
/// </summary>
public sealed class UpstreamMessageLimit(IOptionsMonitor<ProxyOptions> proxy, TimeProvider time)
{
    /// <summary>Stands in for ids that do not exist yet; the same length as the upstream's UUIDs.</summary>
    public const string IdPlaceholder = "00000000-0000-0000-0000-000000000000";

    public int Limit => proxy.CurrentValue.MaxUpstreamMessageBytes;

    /// <summary>The size of the completion body <paramref name="request"/> becomes, and whether it is over the limit.</summary>
    public (int Bytes, bool TooLarge) Measure(QwenCompletionRequest request)
    {
        var bytes = QwenPayloads.CompletionByteCount(request, time.GetUtcNow());
        return (bytes, bytes > Limit);
    }
}
