using System.Runtime.CompilerServices;
using QwenFunctions.Accounts;
using QwenFunctions.Upstream;

using QwenFunctions.Models;

namespace QwenFunctions.Chat;

/// <summary>
/// An upstream answer that has produced its first content event. Reading it yields the events already buffered
/// during the attempt, then the rest of the stream. Disposing it before the answer finished (client gone) sends
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

    internal ChatSession(QwenAccount account, string chatId, string responseId, ResolvedModel model,
        IReadOnlyList<QwenStreamEvent> buffered, IAsyncEnumerator<QwenStreamEvent> rest, Func<ChatSession, Task> stop)
    {
        Account = account;
        ChatId = chatId;
        ResponseId = responseId;
        Model = model;
        _buffered = buffered;
        _rest = rest;
        _stop = stop;
        _finished = buffered.Any(e => e is QwenAnswerFinished);
    }

    public QwenAccount Account { get; }

    public string ChatId { get; }

    /// <summary>The new answer's id: the <c>parentId</c> of the next turn.</summary>
    public string ResponseId { get; }

    public ResolvedModel Model { get; }

    /// <summary>Every event of the answer; ends after <see cref="QwenAnswerFinished"/>. Upstream failures throw <see cref="QwenUpstreamException"/>.</summary>
    public async IAsyncEnumerable<QwenStreamEvent> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
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
