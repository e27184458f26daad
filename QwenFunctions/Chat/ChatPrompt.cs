namespace QwenFunctions.Chat;

/// <summary>The one upstream user message of a turn: its text and the image and document inputs it carries.</summary>
public sealed record ChatPrompt(string Text, IReadOnlyList<string> ImageUrls, IReadOnlyList<string> FileRefs)
{
    public IEnumerable<string> Attachments => ImageUrls.Concat(FileRefs);

    /// <summary>
    /// A continued upstream chat already holds the history, so only what follows its last answer is new (with the
    /// tools described again); a stateless history is folded into one message (<see cref="ConversationFolder"/>).
    /// Throws the 400s a malformed history earns.
    /// </summary>
    public static ChatPrompt For(ChatTurn turn)
    {
        var folded = turn.ChatId is null
            ? ConversationFolder.Fold(turn.Messages, turn.Tools)
            : ConversationFolder.FoldContinuation(turn.Messages, turn.Tools);
        return new ChatPrompt(folded.Prompt, folded.ImageUrls, folded.FileRefs);
    }
}
