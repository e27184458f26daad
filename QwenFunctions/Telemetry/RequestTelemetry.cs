using System.Diagnostics;

namespace QwenFunctions.Telemetry;

/// <summary>
/// What one client request has cost so far: account attempts and time spent waiting for chat.qwen.ai. Flows with
/// the request (an async local), so the upstream clients add to it without being handed it.
/// </summary>
public sealed class RequestTelemetry
{
    private static readonly AsyncLocal<RequestTelemetry?> CurrentRequest = new();

    private readonly TimeProvider _time;
    private readonly long _arrivedAt;
    private long _upstreamWaitTicks;
    private int _attempts;
    private int _firstToken;

    private RequestTelemetry(string surface, string routeFamily, string? operation, TimeProvider time)
    {
        Surface = surface;
        RouteFamily = routeFamily;
        Operation = operation;
        _time = time;
        _arrivedAt = time.GetTimestamp();
    }

    /// <summary>The request this code runs for; null outside an HTTP request (durable activities, start-up).</summary>
    public static RequestTelemetry? Current => CurrentRequest.Value;

    public string Surface { get; }

    public string RouteFamily { get; }

    /// <summary>The GenAI operation (chat, generate_content), null for routes that are not one.</summary>
    public string? Operation { get; }

    public int Attempts => Volatile.Read(ref _attempts);

    public TimeSpan UpstreamWait => TimeSpan.FromTicks(Interlocked.Read(ref _upstreamWaitTicks));

    public TimeSpan Elapsed => _time.GetElapsedTime(_arrivedAt);

    /// <summary>Time in the app itself so far: elapsed less the upstream waits.</summary>
    public TimeSpan Overhead => Elapsed - UpstreamWait is { Ticks: > 0 } overhead ? overhead : TimeSpan.Zero;

    /// <summary>Starts tracking a request for the rest of the calling async flow.</summary>
    public static RequestTelemetry Begin(string surface, string routeFamily, string? operation, TimeProvider time) =>
        CurrentRequest.Value = new RequestTelemetry(surface, routeFamily, operation, time);

    public int CountAttempt() => Interlocked.Increment(ref _attempts);

    public void AddUpstreamWait(long startTimestamp) =>
        Interlocked.Add(ref _upstreamWaitTicks, _time.GetElapsedTime(startTimestamp).Ticks);

    /// <summary>True the first time only: the first content of the first answer is the request's first token.</summary>
    public bool TryMarkFirstToken() => Interlocked.Exchange(ref _firstToken, 1) == 0;

    internal TagList Tags()
    {
        var tags = QwenMetrics.BaseTags();
        tags.Add(Attributes.Surface, Surface);
        tags.Add(Attributes.RouteFamily, RouteFamily);
        if (Operation is not null)
        {
            tags.Add(Attributes.OperationName, Operation);
        }

        return tags;
    }
}
