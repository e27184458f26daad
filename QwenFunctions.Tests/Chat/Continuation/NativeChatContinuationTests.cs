using System.Net;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Chat.Continuation;

/// <summary>Native POST /api/chat without chatId, with OpenAI-style messages: a resent history continues like chat completions.</summary>
public sealed class NativeChatContinuationTests
{
    [Fact]
    public async Task Chat_MessagesWithoutChatIdExtendingOurAnswer_ContinueTheUpstreamChat()
    {
        await using var app = await EmulatedApp.StartAsync();
        var (_, first) = await app.PostJsonAsync("api/chat", new { messages = new[] { new { role = "user", content = "My name is Ada." } } });
        var answer = first.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;

        var (response, second) = await app.PostJsonAsync("api/chat", new
        {
            messages = new[] { new { role = "user", content = "My name is Ada." }, new { role = "assistant", content = answer }, new { role = "user", content = "What is my name?" } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var chat = Assert.Single(app.Emulator.Chats);
        Assert.Equal("What is my name?", chat.UserMessages[1].Content);
        Assert.Equal(chat.Id, second.GetProperty("chatId").GetString());
    }
}
