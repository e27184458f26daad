namespace QwenFunctions.Http;

/// <summary>The per-client request budget the HTTP pipeline checks before a function runs (State's ClientLimiter).</summary>
public interface IRequestLimiter
{
    /// <exception cref="ApiException">429 when the client's budget for this minute is spent.</exception>
    ValueTask AcquireRequestAsync(string? apiKey, CancellationToken cancellationToken);
}
