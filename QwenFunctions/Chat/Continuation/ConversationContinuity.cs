using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using QwenFunctions.Accounts;
using QwenFunctions.Configuration;

namespace QwenFunctions.Chat.Continuation;

/// <summary>Where a stateless history can continue upstream: the account, chat and answer that hold its first
/// <see cref="KnownMessages"/> messages; only the rest is new.</summary>
public sealed record ContinuationPoint(string AccountId, string ChatId, string ParentId, int KnownMessages);

/// <summary>
/// Agents resend the whole history every turn, and folded into one message it soon passes the upstream's message
/// cap. When the history extends one this app already sent upstream (the earlier turns and the app's own last answer
/// match a fingerprint kept in the shared binding store), the turn continues that upstream chat on its account and
/// sends only the new messages. A mismatch (an edited history, an expired or unknown fingerprint) just means folding.
/// </summary>
public sealed class ConversationContinuity(IAccountBindingStore bindings, IOptionsMonitor<ProxyOptions> proxy, TimeProvider time)
{
    /// <summary>Proxy:ContinuationLifetime is positive: histories are remembered and continued.</summary>
    public bool Enabled => proxy.CurrentValue.ContinuationLifetime > TimeSpan.Zero;

    /// <summary>
    /// The continuation point of a stateless history, or null when it does not extend an answer of ours. Only a
    /// history with something after its last assistant message is looked up, so a new chat costs no store read.
    /// </summary>
    public async ValueTask<ContinuationPoint?> FindAsync(IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken)
    {
        var lastAnswer = LastIndexOf(messages, ChatMessage.Assistant);
        if (!Enabled || lastAnswer < 0 || lastAnswer == messages.Count - 1 || HasSystemAfter(messages, lastAnswer))
        {
            // A system message in the new part would be lost: a continued chat is sent only the turns after the answer.
            return null;
        }

        var stored = await bindings.FindAccountAsync(BindingKind.Continuation, HistoryFingerprint.Of(messages.Take(lastAnswer + 1)), cancellationToken);
        return Read(stored) is { } known && known.ExpiresAt > time.GetUtcNow().ToUnixTimeSeconds()
            ? new ContinuationPoint(known.AccountId, known.ChatId, known.ParentId, lastAnswer + 1)
            : null;
    }

    /// <summary>Remembers that the upstream chat position holds <paramref name="history"/> followed by <paramref name="answer"/>.</summary>
    public ValueTask RememberAsync(IReadOnlyList<ChatMessage> history, ChatMessage answer, string accountId, string chatId, string responseId, CancellationToken cancellationToken)
    {
        var lifetime = proxy.CurrentValue.ContinuationLifetime;
        if (lifetime <= TimeSpan.Zero)
        {
            return ValueTask.CompletedTask;
        }

        // The store keeps rows for its own (longer) lifetime; this one is the reader's to enforce.
        var value = new Stored(accountId, chatId, responseId, (time.GetUtcNow() + lifetime).ToUnixTimeSeconds());
        return bindings.BindAsync(BindingKind.Continuation, HistoryFingerprint.Of(history.Append(answer)), JsonSerializer.Serialize(value), cancellationToken);
    }

    private static Stored? Read(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Stored>(stored) is { AccountId.Length: > 0, ChatId.Length: > 0, ParentId.Length: > 0 } known ? known : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool HasSystemAfter(IReadOnlyList<ChatMessage> messages, int index)
    {
        for (var i = index + 1; i < messages.Count; i++)
        {
            if (messages[i].Role == ChatMessage.System)
            {
                return true;
            }
        }

        return false;
    }

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

    private sealed record Stored(
        [property: JsonPropertyName("a")] string AccountId,
        [property: JsonPropertyName("c")] string ChatId,
        [property: JsonPropertyName("p")] string ParentId,
        [property: JsonPropertyName("e")] long ExpiresAt);
}
