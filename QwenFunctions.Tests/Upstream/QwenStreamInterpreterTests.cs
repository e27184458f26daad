using QwenFunctions.Upstream;

namespace QwenFunctions.Tests.Upstream;

/// <summary>The upstream SSE event interpreter, fed with event data strings as captured (docs/upstream.md §6.4).</summary>
public sealed class QwenStreamInterpreterTests
{
    private const string Created = """{"response.created":{"chat_id":"c1","parent_id":"u1","response_id":"r1","response_index":"0"}}""";

    [Fact]
    public void Interpret_CumulativeThinkingSummaries_EmitsOnlyNewText()
    {
        var interpreter = new QwenStreamInterpreter();

        var first = Reasoning(interpreter, Summary(["Multiplying"], ["19 is 20 minus 1"]));
        var second = Reasoning(interpreter, Summary(["Multiplying", "Checking"], ["19 is 20 minus 1, so 340-17", "323 it is"]));
        var repeat = Reasoning(interpreter, Summary(["Multiplying", "Checking"], ["19 is 20 minus 1, so 340-17", "323 it is"]));

        Assert.Equal("Multiplying\n19 is 20 minus 1\n", first);
        Assert.Equal("Checking\n, so 340-17323 it is\n", second);
        Assert.Equal("", repeat);
    }

    [Fact]
    public void Interpret_WebSearchPhase_ReportsEachSourceOnceAsReasoning()
    {
        var interpreter = new QwenStreamInterpreter();
        const string search = """{"choices":[{"delta":{"role":"assistant","content":"","phase":"web_search","status":"typing","function_call":{"name":"web_search","arguments":"{}"},"extra":{"web_search_info":[{"url":"https://a.example/1","title":"First"},{"url":"https://b.example/2","title":"Second"}]}}}]}""";

        var firstEvents = interpreter.Interpret(search).ToList();
        var repeat = Reasoning(interpreter, search);

        Assert.Equal("Source: First <https://a.example/1>\nSource: Second <https://b.example/2>\n",
            string.Concat(firstEvents.OfType<QwenReasoningDelta>().Select(d => d.Text)));
        Assert.Equal("", repeat);
        Assert.DoesNotContain(firstEvents, e => e is QwenAnswerFinished);
    }

    [Fact]
    public void Interpret_ThinkingSummaryFinished_DoesNotEndTheAnswer()
    {
        var interpreter = new QwenStreamInterpreter();
        interpreter.Interpret(Created).ToList();
        interpreter.Interpret(Summary(["t"], ["x"])).ToList();

        var afterThinking = interpreter.Interpret("""{"choices":[{"delta":{"role":"assistant","content":"","phase":"thinking_summary","status":"finished"}}]}""").ToList();
        var answer = interpreter.Interpret("""{"choices":[{"delta":{"content":"323.","phase":"answer","status":"typing"}}],"usage":{"input_tokens":5,"output_tokens":2,"total_tokens":7,"output_tokens_details":{"reasoning_tokens":1},"prompt_tokens_details":{"cached_tokens":3}}}""").ToList();
        var end = interpreter.Interpret("""{"choices":[{"delta":{"content":"","phase":"answer","status":"finished"}}]}""").ToList();

        Assert.DoesNotContain(afterThinking, e => e is QwenAnswerFinished);
        Assert.Contains(new QwenAnswerDelta("323."), answer);
        Assert.Contains(new QwenUsage(5, 2, 7, 1, 3), answer);
        Assert.Equal(new QwenAnswerFinished("answer"), Assert.Single(end));
    }

    [Fact]
    public void Interpret_CreatedEvent_CarriesResponseIdForNextTurn()
    {
        var events = new QwenStreamInterpreter().Interpret(Created).ToList();

        Assert.Equal(new QwenResponseCreated("r1", "c1", "u1"), Assert.Single(events));
    }

    [Theory]
    [InlineData("""{"success":false,"request_id":"x","data":{"code":"RateLimited","details":"upper limit","num":2}}""", UpstreamErrorKind.RateLimited)]
    [InlineData("""{"error":"Internal error!"}""", UpstreamErrorKind.Transient)]
    [InlineData("""{"error":{"code":"data_inspection_failed","details":"内容安全警告"}}""", UpstreamErrorKind.ContentFilter)]
    [InlineData("""{"error":{"code":"invalid_input","details":"bad file"}}""", UpstreamErrorKind.InvalidInput)]
    [InlineData("""{"ret":["FAIL_SYS_USER_VALIDATE","RGV587_ERROR::SM"],"data":{"url":"https://x/punish"}}""", UpstreamErrorKind.Waf)]
    public void Interpret_ErrorEventInStream_Throws(string data, UpstreamErrorKind kind)
    {
        var interpreter = new QwenStreamInterpreter();

        var error = Assert.Throws<QwenUpstreamException>(() => interpreter.Interpret(data).ToList());

        Assert.Equal(kind, error.Kind);
    }

    [Fact]
    public void Interpret_FinishedWithoutAnyAnswer_ThrowsEmptyStream()
    {
        var interpreter = new QwenStreamInterpreter();
        interpreter.Interpret(Created).ToList();

        var error = Assert.Throws<QwenUpstreamException>(() =>
            interpreter.Interpret("""{"choices":[{"delta":{"content":"","phase":"answer","status":"finished"}}]}""").ToList());

        Assert.Equal(UpstreamErrorKind.EmptyStream, error.Kind);
    }

    [Fact]
    public void Interpret_MalformedEvent_IsSkipped()
    {
        Assert.Empty(new QwenStreamInterpreter().Interpret("{not json"));
    }

    private static string Reasoning(QwenStreamInterpreter interpreter, string data) =>
        string.Concat(interpreter.Interpret(data).OfType<QwenReasoningDelta>().Select(d => d.Text));

    private static string Summary(string[] titles, string[] thoughts) =>
        "{\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"phase\":\"thinking_summary\",\"status\":\"typing\",\"extra\":{"
        + $"\"summary_title\":{{\"content\":{System.Text.Json.JsonSerializer.Serialize(titles)}}},"
        + $"\"summary_thought\":{{\"content\":{System.Text.Json.JsonSerializer.Serialize(thoughts)}}}}}}}}}]}}";
    [Fact]
    public void Interpret_Utf8Bytes_ReadsEveryEventAsTheTextDoes()
    {
        // What the chat client hands over since it reads event data as bytes; invalid UTF-8 decodes as text would.
        byte[][] stream =
        [
            System.Text.Encoding.UTF8.GetBytes(Created),
            System.Text.Encoding.UTF8.GetBytes("""{"choices":[{"delta":{"content":"Ünïcode ✓","phase":"answer","status":"typing"}}]}"""),
            [.. "{\"choices\":[{\"delta\":{\"content\":\"bad "u8, 0xC3, 0x28, .. "\",\"phase\":\"answer\",\"status\":\"typing\"}}]}"u8],
            "not json"u8.ToArray(),
            [],
            System.Text.Encoding.UTF8.GetBytes("""{"choices":[{"delta":{"content":"","phase":"answer","status":"finished"}}]}"""),
            "[DONE]"u8.ToArray(),
        ];
        var fromText = new QwenStreamInterpreter();
        var fromBytes = new QwenStreamInterpreter();

        foreach (var data in stream)
        {
            Assert.Equal(fromText.Interpret(System.Text.Encoding.UTF8.GetString(data)), fromBytes.Interpret(data.AsMemory()));
        }

        Assert.True(fromBytes.SawContent);
    }
}
