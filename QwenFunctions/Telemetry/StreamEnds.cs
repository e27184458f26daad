namespace QwenFunctions.Telemetry;

/// <summary>Values of qwen.stream.end_reason.</summary>
public static class StreamEnds
{
    public const string Complete = "complete";
    public const string ClientGone = "client_gone";
    public const string UpstreamCut = "upstream_cut";
    public const string IdleTimeout = "idle_timeout";
    public const string FirstByteTimeout = "first_byte_timeout";

    /// <summary>The upstream answered with an error (an error event, a refused request) or with no answer at all.</summary>
    public const string UpstreamError = "upstream_error";
}
