using QwenFunctions.Accounts;
using QwenFunctions.Chat;
using QwenFunctions.Chat.Continuation;
using QwenFunctions.Chat.Tools;

namespace QwenFunctions.Tests.Chat.Continuation;

public sealed class ConversationContinuityTests
{
    private static ChatMessage Msg(string role, string text) => new(role, text, [], []);

    private static readonly ChatMessage[] FirstTurn = [Msg(ChatMessage.System, "Be terse."), Msg(ChatMessage.User, "Weather in Paris?")];

    private static readonly ChatMessage Answer = Msg(ChatMessage.Assistant, "Checking.") with
    {
        ToolCalls = [new ToolCall("call_1", "get_weather", """{"city":"Paris","days":2}""")],
    };

    [Fact]
    public async Task FindAsync_HistoryThatExtendsARememberedAnswer_ContinuesAfterIt()
    {
        var continuity = new ConversationContinuity(new InMemoryAccountBindingStore(TimeProvider.System));
        await continuity.RememberAsync(FirstTurn, Answer, "chat-1", "resp-1", CancellationToken.None);

        // The client replays our answer its own way: other call id, re-serialised arguments, extra whitespace.
        var replayed = Msg(ChatMessage.Assistant, " Checking.\n") with { ToolCalls = [new ToolCall("call_x", "get_weather", """{ "days": 2, "city": "Paris" }""")] };
        var point = await continuity.FindAsync([.. FirstTurn, replayed, Msg(ChatMessage.Tool, "21C") with { ToolCallId = "call_x" }], CancellationToken.None);

        Assert.Equal(new ContinuationPoint("chat-1", "resp-1", 3), point);
    }

    [Theory]
    [InlineData("Weather in Oslo?", "Checking.")]
    [InlineData("Weather in Paris?", "Something else.")]
    public async Task FindAsync_EditedHistoryOrAnswer_IsNotAContinuation(string question, string answerText)
    {
        var continuity = new ConversationContinuity(new InMemoryAccountBindingStore(TimeProvider.System));
        await continuity.RememberAsync(FirstTurn, Answer, "chat-1", "resp-1", CancellationToken.None);

        var point = await continuity.FindAsync(
            [FirstTurn[0], Msg(ChatMessage.User, question), Answer with { Text = answerText }, Msg(ChatMessage.User, "Thanks")], CancellationToken.None);

        Assert.Null(point);
    }

    [Fact]
    public async Task FindAsync_AnswerShownWithThinkTags_StillMatches()
    {
        var continuity = new ConversationContinuity(new InMemoryAccountBindingStore(TimeProvider.System));
        await continuity.RememberAsync(FirstTurn, Msg(ChatMessage.Assistant, "Sunny."), "chat-1", "resp-1", CancellationToken.None);

        var point = await continuity.FindAsync([.. FirstTurn, Msg(ChatMessage.Assistant, "<think>\nhmm\n</think>\n\nSunny."), Msg(ChatMessage.User, "Thanks")], CancellationToken.None);

        Assert.NotNull(point);
    }

    [Fact]
    public async Task FindAsync_HistoryEndingWithTheAnswerItself_HasNothingNewToContinueWith()
    {
        var continuity = new ConversationContinuity(new InMemoryAccountBindingStore(TimeProvider.System));
        await continuity.RememberAsync(FirstTurn, Answer, "chat-1", "resp-1", CancellationToken.None);

        Assert.Null(await continuity.FindAsync([.. FirstTurn, Answer], CancellationToken.None));
    }

    [Fact]
    public async Task RememberAsync_StoresOnlyAHashOfTheHistory()
    {
        var store = new RecordingBindingStore();
        await new ConversationContinuity(store).RememberAsync(FirstTurn, Answer, "chat-1", "resp-1", CancellationToken.None);

        var (kind, key, value) = Assert.Single(store.Writes);
        Assert.Equal(BindingKind.Continuation, kind);
        Assert.Matches("^[0-9a-f]{64}$", key);
        Assert.Equal("chat-1/resp-1", value);
    }

    [Fact]
    public void Of_DifferentSplitsOfTheSameText_AreDifferentHistories()
    {
        Assert.NotEqual(HistoryFingerprint.Of([Msg("user", "ab"), Msg("user", "c")]), HistoryFingerprint.Of([Msg("user", "a"), Msg("user", "bc")]));
    }

    private sealed class RecordingBindingStore : IAccountBindingStore
    {
        public List<(BindingKind, string, string)> Writes { get; } = [];

        public ValueTask<string?> FindAccountAsync(BindingKind kind, string key, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);

        public ValueTask BindAsync(BindingKind kind, string key, string accountId, CancellationToken cancellationToken)
        {
            Writes.Add((kind, key, accountId));
            return ValueTask.CompletedTask;
        }
    }
}
