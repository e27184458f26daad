namespace QwenFunctions.Chat;

/// <summary>
/// A step between the upstream answer and the surface's format, such as the tool-call parser or stop sequences: it
/// may rewrite, hold back or add events. Ending early is a <see cref="ChatFinished"/>: the responder stops reading
/// there, and the upstream is told to stop. Registered in the composition root; applied in registration order to
/// streamed and whole answers alike.
/// </summary>
public interface IChatEventFilter
{
    IAsyncEnumerable<ChatEvent> FilterAsync(ChatTurn turn, IAsyncEnumerable<ChatEvent> events, CancellationToken cancellationToken);
}
