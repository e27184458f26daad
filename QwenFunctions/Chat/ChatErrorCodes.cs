namespace QwenFunctions.Chat;

/// <summary>The error codes a chat turn can meet, as the API documents them for every chat surface.</summary>
public static class ChatErrorCodes
{
    /// <summary>The 404 codes a continued conversation can meet (every chat surface documents them).</summary>
    public const string ConversationNotFound =
        "conversation_not_found: chatId names no conversation this service knows (not created here, or expired). " +
        "not_found: the upstream no longer knows the conversation.";

    /// <summary>The 409 codes a conversation turn can meet (every chat surface documents them).</summary>
    public const string ConversationConflicts =
        "conversation_busy: an answer is still being generated in this conversation, retry when it ends. " +
        "conversation_account_unavailable: the account that owns chatId is no longer configured or valid, start a new conversation. " +
        "file_account_mismatch: a file was uploaded with a different account than the conversation (or another file) uses.";
}
