using System.Text;
using System.Text.Json.Nodes;
using QwenFunctions.Chat.Tools;

namespace QwenFunctions.Tests.Chat.Tools;

public sealed class ToolCallStreamParserTests
{
    private static readonly ToolSet Weather = new(
    [
        ToolDefinition.Function("get_weather", "Weather of a city", JsonNode.Parse("""{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"},"metric":{"type":"boolean"}}}""")!.AsObject()),
        ToolDefinition.Function("get_time"),
        ToolDefinition.Custom("apply_patch", "Edits files"),
    ], ToolChoice.Auto);

    [Fact]
    public void Push_PlainText_IsPassedOnAtOnce()
    {
        var parser = new ToolCallStreamParser(Weather);

        Assert.Equal([new ToolTextDelta("Hello wor")], parser.Push("Hello wor"));
        Assert.Equal([new ToolTextDelta("ld.")], parser.Push("ld."));
        Assert.Empty(parser.Finish());
    }

    [Fact]
    public void Push_PossibleTagPrefix_OnlyThePrefixIsHeldBack()
    {
        var parser = new ToolCallStreamParser(Weather);

        Assert.Equal([new ToolTextDelta("a < b, and")], parser.Push("a < b, and <tool"));
        Assert.Equal([new ToolTextDelta(" <tool_cab")], parser.Push("_cab"));
    }

    [Fact]
    public void Finish_HeldBackPrefixWithoutCall_IsReleasedAsText()
    {
        var parser = new ToolCallStreamParser(Weather);

        var events = parser.Push("Look: <tool_ca").Concat(parser.Finish());

        Assert.Equal("Look: <tool_ca", TextOf(events));
    }

    [Fact]
    public void Push_JsonCall_StartedArgumentsCompletedWithCallId()
    {
        var parser = new ToolCallStreamParser(Weather);

        var events = parser.Push("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>").Concat(parser.Finish()).ToList();

        var started = Assert.IsType<ToolCallStarted>(events[0]);
        Assert.Equal((0, "get_weather"), (started.Index, started.Name));
        Assert.Matches("^call_[A-Za-z0-9]{24}$", started.Id);
        Assert.Equal(new ToolCallArgumentsDelta(0, """{"city":"Paris"}"""), events[1]);
        var completed = Assert.IsType<ToolCallCompleted>(events[2]);
        Assert.Equal(new ToolCall(started.Id, "get_weather", """{"city":"Paris"}"""), completed.Call);
        Assert.Equal(3, events.Count);
    }

    [Fact]
    public void Push_TextBeforeCall_StaysContentAndLayoutWhitespaceIsDropped()
    {
        var (text, calls) = ToolCallStreamParser.ParseWhole("Let me check.\n\n<tool_call>\n{\"name\":\"get_time\"}\n</tool_call>\n", Weather);

        Assert.Equal("Let me check.", text);
        Assert.Equal("{}", Assert.Single(calls).Arguments);
    }

    [Fact]
    public void Push_SeveralBlocks_AreParallelCallsIndexedInOrder()
    {
        var parser = new ToolCallStreamParser(Weather);
        var answer = """
            <tool_call>
            {"name": "get_weather", "arguments": {"city": "Paris"}}
            </tool_call>
            <tool_call>
            {"name": "get_weather", "arguments": {"city": "Oslo"}}
            </tool_call>
            """;

        var events = parser.Push(answer).Concat(parser.Finish()).ToList();

        Assert.Equal([0, 1], events.OfType<ToolCallStarted>().Select(e => e.Index));
        Assert.Equal(["""{"city":"Paris"}""", """{"city":"Oslo"}"""], parser.Calls.Select(c => c.Arguments));
        Assert.Equal(2, parser.Calls.Select(c => c.Id).Distinct().Count());
        Assert.Empty(events.OfType<ToolTextDelta>());
        // Each call is sent whole before the next begins (clients key on the index changing).
        Assert.Equal([typeof(ToolCallStarted), typeof(ToolCallArgumentsDelta), typeof(ToolCallCompleted), typeof(ToolCallStarted), typeof(ToolCallArgumentsDelta), typeof(ToolCallCompleted)],
            events.Select(e => e.GetType()));
    }

    [Fact]
    public void Push_AnswerSplitIntoSingleCharacters_GivesTheSameTextAndCalls()
    {
        const string answer = "Checking 🌦 now <b>bold</b>\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Zürich\"}}\n</tool_call>\nDone.";
        var whole = ToolCallStreamParser.ParseWhole(answer, Weather);
        var parser = new ToolCallStreamParser(Weather);

        // Char by char also splits the surrogate pair of the emoji between two deltas.
        var events = Run(parser, answer.Select(c => c.ToString()));

        Assert.Equal("Checking 🌦 now <b>bold</b>Done.", TextOf(events));
        Assert.Equal(whole.Text, TextOf(events));
        Assert.Equal("""{"city":"Zürich"}""", Assert.Single(parser.Calls).Arguments);
        Assert.DoesNotContain(events.OfType<ToolTextDelta>(), t => char.IsHighSurrogate(t.Text[^1]) || char.IsLowSurrogate(t.Text[0]));
    }

    [Fact]
    public void Push_TextAfterCall_IsTextWithoutTheLayoutWhitespace()
    {
        var (text, calls) = ToolCallStreamParser.ParseWhole("<tool_call>{\"name\":\"get_time\"}</tool_call>\n\nI asked for the time. ", Weather);

        Assert.Equal("I asked for the time.", text);
        Assert.Single(calls);
    }

    [Fact]
    public void Push_QwenCoderForm_ParametersConvertedBySchemaType()
    {
        const string answer = "<tool_call>\n<function=get_weather>\n<parameter=city>\nNew York\n</parameter>\n<parameter=days>\n3\n</parameter>\n<parameter=metric>\ntrue\n</parameter>\n</function>\n</tool_call>";

        var (text, calls) = ToolCallStreamParser.ParseWhole(answer, Weather);

        Assert.Equal("", text);
        var call = Assert.Single(calls);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("""{"city":"New York","days":3,"metric":true}""", call.Arguments);
    }

    [Theory]
    [InlineData("<tool_call>\nnot json at all\n</tool_call>")]
    [InlineData("<tool_call>\n{\"name\": \"delete_everything\", \"arguments\": {}}\n</tool_call>")]
    [InlineData("<tool_call>\n{\"arguments\": {\"city\": \"Paris\"}}\n</tool_call>")]
    [InlineData("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Par")]
    [InlineData("<tool_call>\n<function=get_weather>\n<parameter=city>\nParis\n</parameter>\n</tool_call>")]
    public void Push_BlockThatIsNotACall_ComesBackVerbatimAsText(string block)
    {
        var answer = "Before.\n" + block + "\nAfter.";
        var parser = new ToolCallStreamParser(Weather);

        var events = parser.Push(answer).Concat(parser.Finish()).ToList();

        Assert.Equal(answer, TextOf(events));
        Assert.Empty(parser.Calls);
    }

    [Fact]
    public void Finish_UnclosedBlockThatParses_IsACall()
    {
        var parser = new ToolCallStreamParser(Weather);

        var events = parser.Push("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Rome\"}}\n").ToList();
        Assert.Empty(events);
        events.AddRange(parser.Finish());

        Assert.Equal("""{"city":"Rome"}""", Assert.IsType<ToolCallCompleted>(events[^1]).Call.Arguments);
    }

    [Theory]
    [InlineData("{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}")]
    [InlineData("{\"name\": \"get_weather\", \"args\": {\"city\": \"Paris\"}}")]
    [InlineData("{\"name\": \"get_weather\", \"arguments\": \"{\\\"city\\\": \\\"Paris\\\"}\"}")]
    [InlineData("```json\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n```")]
    [InlineData("{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\",},}")]
    [InlineData("{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}")]
    [InlineData("[{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}]")]
    public void Push_JsonVariantsPeersAccept_AreTheSameCall(string body)
    {
        var (_, calls) = ToolCallStreamParser.ParseWhole($"<tool_call>\n{body}\n</tool_call>", Weather);

        var call = Assert.Single(calls);
        Assert.Equal(("get_weather", """{"city":"Paris"}"""), (call.Name, call.Arguments));
    }

    [Fact]
    public void Push_RawNewlineInsideAString_IsRepaired()
    {
        var (_, calls) = ToolCallStreamParser.ParseWhole("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\nFrance\"}}\n</tool_call>", Weather);

        Assert.Equal("Paris\nFrance", JsonNode.Parse(Assert.Single(calls).Arguments)!["city"]!.GetValue<string>());
    }

    [Fact]
    public void Push_ArrayInOneBlock_IsSeveralCalls()
    {
        var (_, calls) = ToolCallStreamParser.ParseWhole("<tool_call>[{\"name\":\"get_time\"},{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Oslo\"}}]</tool_call>", Weather);

        Assert.Equal(["get_time", "get_weather"], calls.Select(c => c.Name));
    }

    [Fact]
    public void Push_ParallelCallsOff_KeepsTheFirstCallOnly()
    {
        var parser = new ToolCallStreamParser(Weather with { ParallelCalls = false });
        var answer = "<tool_call>{\"name\":\"get_time\"}</tool_call>\n<tool_call>{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Oslo\"}}</tool_call>";

        var events = parser.Push(answer).Concat(parser.Finish()).ToList();

        Assert.Equal("get_time", Assert.Single(parser.Calls).Name);
        Assert.Single(events.OfType<ToolCallStarted>());
        Assert.Empty(events.OfType<ToolTextDelta>());
    }

    [Fact]
    public void Push_CustomTool_CarriesTheRawInput()
    {
        const string patch = "*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch";
        var answer = "<tool_call>\n" + new JsonObject { ["name"] = "apply_patch", ["arguments"] = new JsonObject { ["input"] = patch } }.ToJsonString() + "\n</tool_call>";
        var parser = new ToolCallStreamParser(Weather);

        var events = parser.Push(answer).Concat(parser.Finish()).ToList();

        Assert.Equal(ToolKind.Custom, Assert.IsType<ToolCallStarted>(events[0]).Kind);
        Assert.Equal(patch, Assert.IsType<ToolCallArgumentsDelta>(events[1]).Fragment);
        var call = Assert.Single(parser.Calls);
        Assert.Equal((ToolKind.Custom, patch), (call.Kind, call.Arguments));
    }

    [Fact]
    public void Push_CustomToolInCoderForm_CarriesTheRawInput()
    {
        var (_, calls) = ToolCallStreamParser.ParseWhole("<tool_call>\n<function=apply_patch>\n<parameter=input>\nline 1\nline 2\n</parameter>\n</function>\n</tool_call>", Weather);

        Assert.Equal("line 1\nline 2", Assert.Single(calls).Arguments);
    }

    [Fact]
    public void Push_NamedChoice_CallOfAnotherTool_IsText()
    {
        var named = Weather with { Choice = ToolChoice.Named("get_weather") };
        const string answer = "<tool_call>{\"name\":\"get_time\"}</tool_call>";

        var (text, calls) = ToolCallStreamParser.ParseWhole(answer, named);

        Assert.Empty(calls);
        Assert.Equal(answer, text);
    }

    [Fact]
    public void Push_TextThatIsHeldBack_IsNeverLost()
    {
        var parser = new ToolCallStreamParser(Weather);
        var answer = "One <\n two <t  three\t";

        var events = Run(parser, answer.Select(c => c.ToString()));

        Assert.Equal(answer, TextOf(events));
    }

    private static List<ToolStreamEvent> Run(ToolCallStreamParser parser, IEnumerable<string> deltas)
    {
        var events = deltas.SelectMany(parser.Push).ToList();
        events.AddRange(parser.Finish());
        return events;
    }

    private static string TextOf(IEnumerable<ToolStreamEvent> events) =>
        events.OfType<ToolTextDelta>().Aggregate(new StringBuilder(), (b, t) => b.Append(t.Text)).ToString();
}
