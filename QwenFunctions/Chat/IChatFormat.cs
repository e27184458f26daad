using QwenFunctions.Http;

namespace QwenFunctions.Chat;

/// <summary>
/// A surface's wire shape. One instance per answer (it may keep state, such as usage seen before the end or block
/// indices). <see cref="ChatResponder"/> feeds it every <see cref="ChatEvent"/> of a streamed answer, or the collected
/// <see cref="ChatAnswer"/> of a whole one.
/// </summary>
public interface IChatFormat
{
    /// <summary>The SSE frames for one event of a streamed answer; none is fine. <see cref="ChatFailed"/> must yield the
    /// surface's in-band error and <see cref="ChatFinished"/> its end marker.</summary>
    IEnumerable<SseFrame> Stream(ChatEvent ev);

    /// <summary>The JSON body of a whole (non-streaming) answer.</summary>
    string Whole(ChatAnswer answer);

    /// <summary>The event that fills silence (Anthropic's ping); null: a <c>: keep-alive</c> comment, and
    /// <see cref="ChatKeepAlive"/> never reaches <see cref="Stream"/>.</summary>
    SseFrame? Heartbeat => null;
}
