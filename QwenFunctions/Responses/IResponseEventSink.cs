namespace QwenFunctions.Responses;

/// <summary>Where response stream events go: an SSE stream, or nowhere when the client asked for a whole response.</summary>
public interface IResponseEventSink
{
    Task WriteAsync(string type, string json, CancellationToken cancellationToken);
}

/// <summary>For whole responses: the events only build up the <see cref="ResponseObject"/>.</summary>
public sealed class DiscardingEventSink : IResponseEventSink
{
    public static readonly DiscardingEventSink Instance = new();

    public Task WriteAsync(string type, string json, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>For streams: each event as <c>event: type</c> + <c>data: json</c>, flushed at once.</summary>
public sealed class SseEventSink(QwenFunctions.Http.SseWriter sse) : IResponseEventSink
{
    public Task WriteAsync(string type, string json, CancellationToken cancellationToken) => sse.WriteEventAsync(type, json, cancellationToken);
}
