using QwenFunctions.Accounts;

namespace QwenFunctions.Chat.Continuation;

/// <summary>Where a stateless history can continue upstream: the chat and answer that hold its first
/// <see cref="KnownMessages"/> messages; only the rest is new.</summary>
public sealed record ContinuationPoint(string ChatId, string ParentId, int KnownMessages);

/// <summary>
/// Agents resend the whole history every turn, and folded into one message it soon passes the upstream's message
/// cap. When the history extends one this app already sent upstream (the earlier turns and the app's own last answer
/// match a fingerprint kept in the shared binding store), the turn continues that upstream chat on its account and
/// sends only the new messages. A mismatch (an edited history, an expired or unknown fingerprint) just means folding.
/// </summary>
public sealed class ConversationContinuity(IAccountBindingStore bindings)
{
    /// <summary>The continuation point of a stateless history, or null when it does not extend an answer of ours.</summary>
    public async ValueTask<ContinuationPoint?> FindAsync(IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken)
    {
        var lastAnswer = LastIndexOf(messages, ChatMessage.Assistant);
        if (lastAnswer < 0 || lastAnswer == messages.Count - 1)
        {
            return null;
        }

        var known = await bindings.FindAccountAsync(BindingKind.Continuation, HistoryFingerprint.Of(messages.Take(lastAnswer + 1)), cancellationToken);
        return known?.Split('/') is [var chatId, var parentId] ? new ContinuationPoint(chatId, parentId, lastAnswer + 1) : null;
    }

    /// <summary>Remembers that the upstream chat position holds <paramref name="history"/> followed by <paramref name="answer"/>.</summary>
    public ValueTask RememberAsync(IReadOnlyList<ChatMessage> history, ChatMessage answer, string chatId, string responseId, CancellationToken cancellationToken) =>
        bindings.BindAsync(BindingKind.Continuation, HistoryFingerprint.Of(history.Append(answer)), chatId + "/" + responseId, cancellationToken);

    private static int LastIndexOf(IReadOnlyList<ChatMessage> messages, string role)
    {
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == role)
            {
                return i;
            }
        }

        return -1;
    }
}
