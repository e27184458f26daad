using QwenFunctions.Chat;
using QwenFunctions.Http;

namespace QwenFunctions.Tests.Chat;

public sealed class ConversationFolderTests
{
    [Fact]
    public void Fold_SingleUserMessage_IsSentVerbatim()
    {
        var folded = ConversationFolder.Fold([new ChatMessage("user", "Hello", [], [])]);

        Assert.Equal("Hello", folded.Prompt);
    }

    [Fact]
    public void Fold_SystemAndHistory_SystemFirstTranscriptThenLastUserMessage()
    {
        var folded = ConversationFolder.Fold(
        [
            new ChatMessage("system", "Be terse.", [], []),
            new ChatMessage("user", "Hi", [], []),
            new ChatMessage("assistant", "Hello!", [], []),
            new ChatMessage("user", "Bye", ["https://img/1.png"], []),
        ]);

        Assert.Equal(
            "<system-instructions>\nBe terse.\n</system-instructions>\n\n<conversation-history>\nUser: Hi\n\nAssistant: Hello!\n\n</conversation-history>\n\nBye",
            folded.Prompt);
        Assert.Equal(["https://img/1.png"], folded.ImageUrls);
    }

    [Fact]
    public void Fold_LastMessageFromAssistant_IsRejected()
    {
        var error = Assert.Throws<ApiException>(() => ConversationFolder.Fold([new ChatMessage("user", "Hi", [], []), new ChatMessage("assistant", "Hello", [], [])]));

        Assert.Equal("messages", error.Param);
    }
}
