using System.Runtime.CompilerServices;
using QwenFunctions.Accounts;
using QwenFunctions.Upstream;

using QwenFunctions.Models;

namespace QwenFunctions.Chat;

/// <summary>
/// An upstream answer that has produced its first content event, read as pipeline events: <see cref="ChatStarted"/>,
/// the events buffered during the attempt, the rest of the stream, then <see cref="ChatFinished"/>. Disposing it before the answer finished (client gone) sends
/// the best-effort stop call, so the upstream does not keep generating for nobody.
/// </summary>
public sealed class ChatSession : IAsyncDisposable
{
    private readonly IReadOnlyList<QwenStreamEvent> _buffered;
    private readonly IAsyncEnumerator<QwenStreamEvent> _rest;
    private readonly Func<ChatSession, Task> _stop;
    private bool _finished;
    private bool _upstreamFailed;
    private bool _disposed;

    internal ChatSession(QwenAccount account, ChatAnswerInfo info, ResolvedModel model,
        IReadOnlyList<QwenStreamEvent> buffered, IAsyncEnumerator<QwenStreamEvent> rest, Func<ChatSession, Task> stop)
    {
        Account = account;
        Info = info;
        Model = model;
        _buffered = buffered;
        _rest = rest;
        _stop = stop;
        _finished = buffered.Any(e => e is QwenAnswerFinished);
    }

    public QwenAccount Account { get; }

    /// <summary>The upstream chat and the new answer's id (the <c>parentId</c> of the next turn), and the model name to echo.</summary>
    public ChatAnswerInfo Info { get; }

    public string ChatId => Info.ChatId;

    public string ResponseId => Info.ResponseId;

    public ResolvedModel Model { get; }

    /// <summary>Every event of the answer; ends with <see cref="ChatFinished"/>. Upstream failures throw <see cref="QwenUpstreamException"/>.</summary>
    public async IAsyncEnumerable<ChatEvent> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        yield return new ChatStarted(Info);
        await foreach (var ev in ReadUpstreamAsync(cancellationToken))
        {
            if (ToChatEvent(ev) is { } chatEvent)
            {
                yield return chatEvent;
            }
        }

        yield return new ChatFinished(ChatFinishReason.Stop);
    }

    private static ChatEvent? ToChatEvent(QwenStreamEvent ev) => ev switch
    {
        QwenAnswerDelta answer => new ChatTextDelta(answer.Text),
        QwenReasoningDelta thought => new ChatReasoningDelta(thought.Text),
        QwenImageGenerated image => new ChatImageGenerated(image.Url),
        QwenUsage u => new ChatUsage(u.InputTokens, u.OutputTokens, u.TotalTokens, u.ReasoningTokens, u.CachedTokens),
        QwenKeepAlive => ChatKeepAlive.Instance,
        _ => null,
    };

    private async IAsyncEnumerable<QwenStreamEvent> ReadUpstreamAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var ev in _buffered)
        {
            yield return ev;
        }

        while (!_finished)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool more;
            try
            {
                more = await _rest.MoveNextAsync();
            }
            catch (QwenUpstreamException)
            {
                _upstreamFailed = true;
                throw;
            }

            if (!more)
            {
                yield break;
            }

            _finished = _rest.Current is QwenAnswerFinished;
            yield return _rest.Current;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await _rest.DisposeAsync();
        }
        catch (OperationCanceledException)
        {
            // The stream was cancelled by the client going away; disposal just releases the connection.
        }

        if (!_finished && !_upstreamFailed)
        {
            await _stop(this);
        }
    }
}
