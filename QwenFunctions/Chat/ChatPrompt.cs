using QwenFunctions.Http;

namespace QwenFunctions.Chat;

/// <summary>The one upstream user message of a turn: its text and the image and document inputs it carries.</summary>
public sealed record ChatPrompt(string Text, IReadOnlyList<string> ImageUrls, IReadOnlyList<string> FileRefs)
{
    public IEnumerable<string> Attachments => ImageUrls.Concat(FileRefs);

    /// <summary>
    /// A continued upstream chat already holds the history, so only the newest user message is new; a stateless
    /// history is folded into one message (<see cref="ConversationFolder"/>). Throws the 400s a malformed history earns.
    /// </summary>
    public static ChatPrompt For(ChatTurn turn)
    {
        if (turn.ChatId is null)
        {
            var folded = ConversationFolder.Fold(turn.Messages);
            return new ChatPrompt(folded.Prompt, folded.ImageUrls, folded.FileRefs);
        }

        var last = turn.Messages.LastOrDefault(m => m.Role == ChatMessage.User)
            ?? throw ApiException.BadRequest("No user message in 'messages'.", "messages");
        return new ChatPrompt(last.Text, last.ImageUrls, last.FileRefs);
    }
}
