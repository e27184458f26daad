using QwenFunctions.Http;

namespace QwenFunctions.Anthropic;

/// <summary>
/// Writes one answer as the Messages API event stream: <c>message_start</c>, the content blocks in order, then
/// <c>message_delta</c> (stop reason, cumulative usage) and <c>message_stop</c>; <c>ping</c> is the heartbeat once
/// the message has started (SSE comments before, which every client skips). A failure after the first byte is one
/// <c>event: error</c> and the stream closes without <c>message_stop</c>, so SDKs raise instead of taking a
/// truncated answer for a complete one.
/// </summary>
public sealed class MessageStreamWriter(SseWriter sse, MessageJson json, MessageAssembler answer, int inputTokensEstimate)
{
    /// <summary>message_start was sent.</summary>
    public bool Started { get; private set; }

    /// <summary>The answer is complete or was ended by a stop sequence or max_tokens: stop reading the upstream.</summary>
    public bool Ended => answer.Ended;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await WriteAsync(json.MessageStart(inputTokensEstimate), cancellationToken);
        Started = true;
        var (name, data) = MessageJson.Ping();
        sse.UseHeartbeatEvent(name, data);
    }

    public Task ReasoningAsync(string text, CancellationToken cancellationToken) => WriteAsync(answer.Reasoning(text), cancellationToken);

    public Task TextAsync(string text, CancellationToken cancellationToken) => WriteAsync(answer.Text(text), cancellationToken);

    public Task ToolCallStartedAsync(string? callId, string name, CancellationToken cancellationToken) =>
        WriteAsync(answer.ToolCallStarted(callId, name), cancellationToken);

    public void ToolCallArguments(string fragment) => answer.ToolCallArguments(fragment);

    public Task ToolCallCompletedAsync(string? argumentsJson, CancellationToken cancellationToken) =>
        WriteAsync(answer.ToolCallCompleted(argumentsJson), cancellationToken);

    public Task UsageAsync(AnswerUsage usage, CancellationToken cancellationToken) => WriteAsync(answer.UsageReported(usage), cancellationToken);

    /// <summary>Closes the open block, then message_delta and message_stop.</summary>
    public async Task FinishAsync(bool truncated, CancellationToken cancellationToken)
    {
        await WriteAsync(answer.Finish(truncated), cancellationToken);
        await WriteAsync(json.MessageDelta(answer, answer.FinalUsage(inputTokensEstimate)), cancellationToken);
        await WriteAsync(MessageJson.MessageStop(), cancellationToken);
    }

    /// <summary>The in-band error event. False when the client is already gone.</summary>
    public async Task<bool> TryFailAsync(ApiException error, CancellationToken cancellationToken)
    {
        try
        {
            await WriteAsync(MessageJson.Error(error), cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            return false;
        }
    }

    private async Task WriteAsync(IReadOnlyList<BlockFrame> frames, CancellationToken cancellationToken)
    {
        foreach (var frame in frames)
        {
            await WriteAsync(json.Frame(frame), cancellationToken);
        }
    }

    private Task WriteAsync((string Event, string Data) e, CancellationToken cancellationToken) => sse.WriteEventAsync(e.Event, e.Data, cancellationToken);
}
