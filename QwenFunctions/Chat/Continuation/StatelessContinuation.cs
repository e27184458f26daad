using Microsoft.Extensions.Logging;
using QwenFunctions.Http;
using QwenFunctions.Upstream;

namespace QwenFunctions.Chat.Continuation;

/// <summary>
/// The pipeline's side of <see cref="ConversationContinuity"/>: turns a stateless history that extends an answer of
/// ours into a continued turn (only the new messages go upstream, on the chat's account), and remembers each answer
/// so the next turn can do the same. Nothing here fails a request: whatever goes wrong means folding, as without it.
/// </summary>
public sealed class StatelessContinuation(ConversationContinuity continuity, ChatService chats, ILogger<StatelessContinuation> logger)
{
    /// <summary>The turn prepared to continue the upstream chat its history extends, or null: fold it as usual.</summary>
    public async Task<PreparedTurn?> TryPrepareAsync(ChatTurn turn, CancellationToken cancellationToken)
    {
        if (turn.ChatId is not null)
        {
            return null;
        }

        ContinuationPoint? point = null;
        try
        {
            point = await continuity.FindAsync(turn.Messages, cancellationToken);
            if (point is null)
            {
                return null;
            }

            var continued = turn with { ChatId = point.ChatId, ParentId = point.ParentId };
            var prepared = await chats.PrepareAsync(continued, ChatPrompt.For(continued), cancellationToken, point.AccountId);
            Log.ContinuingHistory(logger, point.ChatId, point.AccountId, point.KnownMessages, turn.Messages.Count);
            return prepared;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // E.g. a file of another account in the new part, or a store that does not answer.
            FellBack(point?.ChatId, ex);
            return null;
        }
    }

    /// <summary>Logs why a continued turn gave way to folding; the caller then answers the folded history.</summary>
    public void FellBack(string? chatId, Exception reason) =>
        Log.ContinuationFellBack(logger, chatId, reason switch
        {
            ApiException api => api.Code ?? api.Type,
            QwenUpstreamException upstream => upstream.Kind.ToString(),
            _ => reason.GetType().Name,
        });

    /// <summary>
    /// Remembers that the answer's upstream chat now holds the stateless history and the answer, as the client will
    /// send them back. Called once the answer is complete and before its last bytes are written, so a client that
    /// sends the next turn at once finds it; the shared store writes behind the request, so this is no round trip.
    /// </summary>
    public async Task RememberAsync(ChatTurn turn, ChatAnswer answer, string accountId)
    {
        if (turn.ChatId is not null || !continuity.Enabled)
        {
            return; // the client continues by chatId or previous_response_id itself
        }

        var replayed = new ChatMessage(ChatMessage.Assistant, answer.Content, [], []) { ToolCalls = answer.ToolCalls };
        try
        {
            await continuity.RememberAsync(turn.Messages, replayed, accountId, answer.Info.ChatId, answer.Info.ResponseId, CancellationToken.None);
        }
        catch (Exception ex)
        {
            Log.RememberFailed(logger, answer.Info.ChatId, ex.GetType().Name);
        }
    }
}
