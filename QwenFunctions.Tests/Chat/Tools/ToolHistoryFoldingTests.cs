using QwenFunctions.Chat;
using QwenFunctions.Chat.Tools;
using QwenFunctions.Http;

namespace QwenFunctions.Tests.Chat.Tools;

public sealed class ToolHistoryFoldingTests
{
    private static readonly ToolSet Tools = new([ToolDefinition.Function("get_weather", "Weather of a city")], ToolChoice.Auto);
    private static readonly string ToolText = ToolPrompt.Instructions(Tools)!;

    private static ChatMessage User(string text) => new(ChatMessage.User, text, [], []);

    private static ChatMessage Assistant(string text, params ToolCall[] calls) => new(ChatMessage.Assistant, text, [], []) { ToolCalls = calls };

    private static ChatMessage Result(string callId, string text) => new(ChatMessage.Tool, text, [], []) { ToolCallId = callId };

    [Fact]
    public void Fold_WithTools_ToolsFollowTheSystemTextInTheInstructions()
    {
        var folded = ConversationFolder.Fold([new ChatMessage(ChatMessage.System, "Be terse.", [], []), User("Weather in Paris?")], Tools);

        Assert.Equal($"<system-instructions>\nBe terse.\n\n{ToolText}\n</system-instructions>\n\nWeather in Paris?", folded.Prompt);
    }

    [Fact]
    public void Fold_ToolChoiceNone_SendsNoTools()
    {
        var folded = ConversationFolder.Fold([User("Weather in Paris?")], Tools with { Choice = ToolChoice.None });

        Assert.Equal("Weather in Paris?", folded.Prompt);
    }

    [Fact]
    public void Fold_ResultsOfTheLastCalls_AreTheNewPartAsToolResponsesNamedAfterTheirCalls()
    {
        var folded = ConversationFolder.Fold(
        [
            User("Weather in Paris and Oslo?"),
            Assistant("Checking.", new ToolCall("call_p", "get_weather", """{"city":"Paris"}"""), new ToolCall("call_o", "get_weather", """{"city":"Oslo"}""")),
            Result("call_p", "21C"),
            Result("call_o", "-3C"),
        ], Tools);

        Assert.Equal(
            $"<system-instructions>\n{ToolText}\n</system-instructions>\n\n" +
            "<conversation-history>\n" +
            "User: Weather in Paris and Oslo?\n\n" +
            "Assistant: Checking.\n<tool_call>\n{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}}\n</tool_call>\n<tool_call>\n{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Oslo\"}}\n</tool_call>\n\n" +
            "</conversation-history>\n\n" +
            "<tool_response>\n{\"name\":\"get_weather\",\"content\":\"21C\"}\n</tool_response>\n<tool_response>\n{\"name\":\"get_weather\",\"content\":\"-3C\"}\n</tool_response>",
            folded.Prompt);
    }

    [Fact]
    public void Fold_EarlierToolRoundInHistory_IsFoldedTheSameWay()
    {
        var folded = ConversationFolder.Fold(
        [
            User("Weather in Paris?"),
            Assistant("", new ToolCall("call_p", "get_weather", """{"city":"Paris"}""")),
            Result("call_p", "21C"),
            Assistant("It is 21C."),
            User("Thanks!"),
        ], Tools);

        Assert.Contains("Assistant: <tool_call>\n{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}}\n</tool_call>\n\n", folded.Prompt);
        Assert.Contains("User: <tool_response>\n{\"name\":\"get_weather\",\"content\":\"21C\"}\n</tool_response>\n\nAssistant: It is 21C.\n\n</conversation-history>\n\nThanks!", folded.Prompt);
    }

    [Fact]
    public void Fold_ResultsFollowedByUserText_BothAreTheNewPart()
    {
        var folded = ConversationFolder.Fold(
        [
            User("Weather?"),
            Assistant("", new ToolCall("call_p", "get_weather", "{}")),
            Result("call_p", "21C"),
            User("And in Fahrenheit?"),
        ], Tools);

        Assert.EndsWith("</conversation-history>\n\n<tool_response>\n{\"name\":\"get_weather\",\"content\":\"21C\"}\n</tool_response>\n\nAnd in Fahrenheit?", folded.Prompt);
    }

    [Fact]
    public void FoldContinuation_SendsOnlyWhatFollowsTheLastAnswerWithTheToolsAgain()
    {
        var folded = ConversationFolder.FoldContinuation(
        [
            new ChatMessage(ChatMessage.System, "Be terse.", [], []),
            User("Weather in Paris?"),
            Assistant("", new ToolCall("call_p", "get_weather", """{"city":"Paris"}""")),
            Result("call_p", "21C"),
        ], Tools);

        Assert.Equal($"<system-instructions>\n{ToolText}\n</system-instructions>\n\n<tool_response>\n{{\"name\":\"get_weather\",\"content\":\"21C\"}}\n</tool_response>", folded.Prompt);
    }

    [Fact]
    public void FoldContinuation_WithoutTools_IsTheNewUserMessageVerbatim()
    {
        var folded = ConversationFolder.FoldContinuation([User("Hi"), Assistant("Hello"), new ChatMessage(ChatMessage.User, "Bye", ["https://img/1.png"], [])]);

        Assert.Equal("Bye", folded.Prompt);
        Assert.Equal(["https://img/1.png"], folded.ImageUrls);
    }

    [Fact]
    public void FoldContinuation_NothingNew_IsRejected()
    {
        Assert.Equal("messages", Assert.Throws<ApiException>(() => ConversationFolder.FoldContinuation([User("Hi"), Assistant("Hello")])).Param);
    }
}
