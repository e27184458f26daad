using Microsoft.Extensions.Time.Testing;
using QwenFunctions.Accounts;
using QwenFunctions.Chat;
using QwenFunctions.Chat.Continuation;
using QwenFunctions.Chat.Tools;
using QwenFunctions.Configuration;

namespace QwenFunctions.Tests.Chat.Continuation;

public sealed class ConversationContinuityTests
{
    private static ChatMessage Msg(string role, string text) => new(role, text, [], []);

    private static readonly ChatMessage[] FirstTurn = [Msg(ChatMessage.System, "Be terse."), Msg(ChatMessage.User, "Weather in Paris?")];

    private static readonly ChatMessage Answer = Msg(ChatMessage.Assistant, "Checking.") with
    {
        ToolCalls = [new ToolCall("call_1", "get_weather", """{"city":"Paris","days":2}""")],
    };

    private static ConversationContinuity Continuity(IAccountBindingStore? store = null, TimeProvider? time = null, TimeSpan? lifetime = null)
    {
        var options = new ProxyOptions { ContinuationLifetime = lifetime ?? TimeSpan.FromHours(24) };
        return new ConversationContinuity(store ?? new InMemoryAccountBindingStore(TimeProvider.System),
            QwenFunctions.Tests.Accounts.AccountPoolTests.Monitor(options), time ?? TimeProvider.System);
    }

    private static ValueTask Remember(ConversationContinuity continuity, IReadOnlyList<ChatMessage> history, ChatMessage answer) =>
        continuity.RememberAsync(history, answer, "acc_1", "chat-1", "resp-1", CancellationToken.None);

    [Fact]
    public async Task FindAsync_HistoryThatExtendsARememberedAnswer_ContinuesAfterIt()
    {
        var continuity = Continuity();
        await Remember(continuity, FirstTurn, Answer);

        // The client replays our answer its own way: the id with another prefix, re-serialised arguments, extra whitespace.
        var replayed = Msg(ChatMessage.Assistant, " Checking.\n") with { ToolCalls = [new ToolCall("toolu_1", "get_weather", """{ "days": 2, "city": "Paris" }""")] };
        var point = await continuity.FindAsync([.. FirstTurn, replayed, Msg(ChatMessage.Tool, "21C") with { ToolCallId = "toolu_1" }], CancellationToken.None);

        Assert.Equal(new ContinuationPoint("acc_1", "chat-1", "resp-1", 3), point);
    }

    [Fact]
    public async Task FindAsync_SameWordsWithAnotherCallId_IsAnotherSession()
    {
        var continuity = Continuity();
        await Remember(continuity, FirstTurn, Answer);

        var other = Answer with { ToolCalls = [Answer.ToolCalls[0] with { Id = "call_2" }] };

        Assert.Null(await continuity.FindAsync([.. FirstTurn, other, Msg(ChatMessage.Tool, "21C") with { ToolCallId = "call_2" }], CancellationToken.None));
    }

    [Fact]
    public async Task FindAsync_AfterTheLifetime_IsNotAContinuation()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var continuity = Continuity(new InMemoryAccountBindingStore(time), time, TimeSpan.FromHours(1));
        await Remember(continuity, FirstTurn, Msg(ChatMessage.Assistant, "Sunny."));
        List<ChatMessage> next = [.. FirstTurn, Msg(ChatMessage.Assistant, "Sunny."), Msg(ChatMessage.User, "Thanks")];

        Assert.NotNull(await continuity.FindAsync(next, CancellationToken.None));
        time.Advance(TimeSpan.FromMinutes(61));
        Assert.Null(await continuity.FindAsync(next, CancellationToken.None));
    }

    [Fact]
    public async Task FindAsync_LifetimeZero_NeitherRemembersNorContinues()
    {
        var store = new RecordingBindingStore();
        var continuity = Continuity(store, lifetime: TimeSpan.Zero);
        await Remember(continuity, FirstTurn, Answer);

        Assert.Empty(store.Writes);
        Assert.Null(await continuity.FindAsync([.. FirstTurn, Answer, Msg(ChatMessage.User, "Thanks")], CancellationToken.None));
        Assert.Equal(0, store.Reads);
    }

    [Fact]
    public async Task FindAsync_SystemMessageInTheNewPart_IsFoldedNotContinued()
    {
        var continuity = Continuity();
        await Remember(continuity, FirstTurn, Msg(ChatMessage.Assistant, "Sunny."));

        Assert.Null(await continuity.FindAsync([.. FirstTurn, Msg(ChatMessage.Assistant, "Sunny."), Msg(ChatMessage.System, "Now be verbose."), Msg(ChatMessage.User, "Why?")], CancellationToken.None));
    }

    [Fact]
    public async Task FindAsync_NewChat_ReadsNothing()
    {
        var store = new RecordingBindingStore();

        Assert.Null(await Continuity(store).FindAsync(FirstTurn, CancellationToken.None));
        Assert.Equal(0, store.Reads);
    }

    [Theory]
    [InlineData("Weather in Oslo?", "Checking.")]
    [InlineData("Weather in Paris?", "Something else.")]
    public async Task FindAsync_EditedHistoryOrAnswer_IsNotAContinuation(string question, string answerText)
    {
        var continuity = Continuity();
        await Remember(continuity, FirstTurn, Answer);

        var point = await continuity.FindAsync(
            [FirstTurn[0], Msg(ChatMessage.User, question), Answer with { Text = answerText }, Msg(ChatMessage.User, "Thanks")], CancellationToken.None);

        Assert.Null(point);
    }

    [Fact]
    public async Task FindAsync_AnswerShownWithThinkTags_StillMatches()
    {
        var continuity = Continuity();
        await Remember(continuity, FirstTurn, Msg(ChatMessage.Assistant, "Sunny."));

        var point = await continuity.FindAsync([.. FirstTurn, Msg(ChatMessage.Assistant, "<think>\nhmm\n</think>\n\nSunny."), Msg(ChatMessage.User, "Thanks")], CancellationToken.None);

        Assert.NotNull(point);
    }

    [Fact]
    public async Task FindAsync_HistoryEndingWithTheAnswerItself_HasNothingNewToContinueWith()
    {
        var continuity = Continuity();
        await Remember(continuity, FirstTurn, Answer);

        Assert.Null(await continuity.FindAsync([.. FirstTurn, Answer], CancellationToken.None));
    }

    [Fact]
    public async Task RememberAsync_StoresOnlyAHashOfTheHistory()
    {
        var store = new RecordingBindingStore();
        await Remember(Continuity(store), FirstTurn, Answer);

        var (kind, key, value) = Assert.Single(store.Writes);
        Assert.Equal(BindingKind.Continuation, kind);
        Assert.Matches("^[0-9a-f]{64}$", key);
        Assert.DoesNotContain("Paris", value);
        Assert.DoesNotContain("Checking", value);
        Assert.Contains("chat-1", value);
    }

    [Fact]
    public void Of_DifferentSplitsOfTheSameText_AreDifferentHistories()
    {
        Assert.NotEqual(HistoryFingerprint.Of([Msg("user", "ab"), Msg("user", "c")]), HistoryFingerprint.Of([Msg("user", "a"), Msg("user", "bc")]));
    }

    [Fact]
    public void Of_AFixedHistory_KeepsTheFingerprintThatStoredRowsWereWrittenWith()
    {
        // Rows in the shared table are keyed by this value: a change of encoding would orphan every stored history.
        ChatMessage[] history = [Msg(ChatMessage.System, "Be terse."), Msg(ChatMessage.User, " Wetter in Zürich? "), Msg(ChatMessage.Assistant, "<think>hm</think>Kalt. ❄")];

        Assert.Equal("e31f39a5048037a3fac9c3d963c680ac1e102a96b38ba0192f90bfca2b7141dd", HistoryFingerprint.Of(history));
    }

    private sealed class RecordingBindingStore : IAccountBindingStore
    {
        public List<(BindingKind, string, string)> Writes { get; } = [];

        public int Reads { get; private set; }

        public ValueTask<string?> FindAccountAsync(BindingKind kind, string key, CancellationToken cancellationToken)
        {
            Reads++;
            return ValueTask.FromResult<string?>(null);
        }

        public ValueTask BindAsync(BindingKind kind, string key, string accountId, CancellationToken cancellationToken)
        {
            Writes.Add((kind, key, accountId));
            return ValueTask.CompletedTask;
        }
    }
}
