using QwenFunctions.Chat;
using QwenFunctions.Http;

namespace QwenFunctions.Anthropic;

/// <summary>
/// The Messages API as the chat pipeline's per-surface format: maps the pipeline's events onto
/// <see cref="MessageEvents"/>. <c>ping</c> is the heartbeat; it may come before <c>message_start</c>, which every
/// Anthropic SDK skips wherever it is.
/// </summary>
public sealed class AnthropicMessageFormat(MessageEvents events) : IChatFormat
{
    private static readonly SseFrame PingFrame = Frame(MessageJson.Ping());

    public SseFrame? Heartbeat => PingFrame;

    /// <summary>A stop sequence or max_tokens closed the message: the pipeline stops reading (and the upstream).</summary>
    public bool Ended => events.Closed;

    public IEnumerable<SseFrame> Stream(ChatEvent ev) => Render(ev).Select(Frame);

    public string Whole(ChatAnswer answer) => events.Whole(
        answer.Reasoning,
        string.Join("\n", answer.ImageUrls.Prepend(answer.Content).Where(s => s.Length > 0)),
        answer.ToolCalls.Select(c => (c.Id, c.Name, c.Arguments)),
        Usage(answer.Usage),
        truncated: answer.FinishReason == ChatFinishReason.Length);

    private IReadOnlyList<(string Event, string Data)> Render(ChatEvent ev)
    {
        switch (ev)
        {
            case ChatStarted:
                return events.Started();
            case ChatReasoningDelta thought:
                return events.Reasoning(thought.Text);
            case ChatTextDelta text:
                return events.Text(text.Text);
            case ChatImageGenerated image:
                return events.Text(image.Url + "\n");
            case ChatToolCallStarted call:
                return events.ToolCallStarted(call.Id, call.Name);
            case ChatToolCallArgumentsDelta arguments:
                events.ToolCallArguments(arguments.Text);
                return [];
            case ChatToolCallCompleted:
                return events.ToolCallCompleted();
            case ChatUsage usage:
                events.Usage(Usage(usage)!);
                return [];
            case ChatKeepAlive:
                return [MessageJson.Ping()];
            case ChatFinished finished:
                return events.Finished(truncated: finished.Reason == ChatFinishReason.Length);
            case ChatFailed failed:
                return events.Failed(failed.Error);
            default:
                return [];
        }
    }

    /// <summary>The upstream's totals; all zero means it reported none, so estimates stand in.</summary>
    private static AnswerUsage? Usage(ChatUsage usage) =>
        usage == ChatUsage.Zero ? null : AnswerUsage.FromUpstream(usage.InputTokens, usage.OutputTokens, usage.CachedTokens);

    private static SseFrame Frame((string Event, string Data) e) => new(e.Event, e.Data);
}
