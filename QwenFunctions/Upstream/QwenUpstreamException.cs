namespace QwenFunctions.Upstream;

/// <summary>A classified upstream failure. Messages never contain credentials.</summary>
public sealed class QwenUpstreamException : Exception
{
    public QwenUpstreamException(UpstreamErrorKind kind, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
    }

    public UpstreamErrorKind Kind { get; }

    /// <summary>Hours the upstream asked us to wait (the `num` of a RateLimited answer).</summary>
    public double? RetryAfterHours { get; init; }

    /// <summary>Upstream code (RateLimited, Bad_Request, …) when one was given.</summary>
    public string? UpstreamCode { get; init; }

    /// <summary>HTTP status, or the x-actual-status-code behind an HTTP 200.</summary>
    public int? UpstreamStatus { get; init; }
}
