using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using QwenFunctions.Anthropic;
using QwenFunctions.Http;

namespace QwenFunctions.Tests.Anthropic;

/// <summary>The Messages API events of one answer, in the order and shapes the SDKs and Claude Code depend on.</summary>
public sealed class MessageEventsTests
{
    private readonly ThinkingSignature _signatures = new(Options.Create(new AnthropicOptions()));
    private readonly List<(string Event, JsonElement Data)> _events = [];

    [Fact]
    public void Stream_ThinkingTextAndToolCall_OpensFillsAndClosesEachBlockInOrder()
    {
        var answer = Events();

        Add(answer.Started());
        Add(answer.Reasoning("Need the "));
        Add(answer.Reasoning("weather."));
        Add(answer.Text("Checking."));
        Add(answer.ToolCallStarted("call_abc123", "get_weather"));
        answer.ToolCallArguments("{\"city\":");
        answer.ToolCallArguments(" \"Paris\"}");
        Add(answer.ToolCallCompleted());
        answer.Usage(AnswerUsage.FromUpstream(40, 25, 8));
        Add(answer.Finished());

        Assert.Equal(
        [
            "message_start",
            "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop",
            "content_block_start", "content_block_delta", "content_block_stop",
            "content_block_start", "content_block_delta", "content_block_stop",
            "message_delta", "message_stop",
        ], _events.Select(e => e.Event));
        Assert.All(_events, e => Assert.Equal(e.Event, e.Data.GetProperty("type").GetString()));

        var message = _events[0].Data.GetProperty("message");
        Assert.StartsWith("msg_", message.GetProperty("id").GetString());
        Assert.Equal("message", message.GetProperty("type").GetString());
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.Equal("qwen3-max", message.GetProperty("model").GetString());
        Assert.Equal(0, message.GetProperty("content").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("stop_reason").ValueKind);
        Assert.Equal(12, message.GetProperty("usage").GetProperty("input_tokens").GetInt32()); // the estimate, never 0

        Assert.Equal("""{"type":"thinking","thinking":"","signature":""}""", _events[1].Data.GetProperty("content_block").GetRawText());
        Assert.Equal("""{"type":"thinking_delta","thinking":"Need the "}""", Delta(2).GetRawText());
        Assert.Equal("signature_delta", Delta(4).GetProperty("type").GetString());
        Assert.True(_signatures.Verify("Need the weather.", Delta(4).GetProperty("signature").GetString()));

        Assert.Equal("""{"type":"text","text":""}""", _events[6].Data.GetProperty("content_block").GetRawText());
        Assert.Equal("""{"type":"text_delta","text":"Checking."}""", Delta(7).GetRawText());

        Assert.Equal("""{"type":"tool_use","id":"toolu_abc123","name":"get_weather","input":{}}""", _events[9].Data.GetProperty("content_block").GetRawText());
        Assert.Equal("""{"type":"input_json_delta","partial_json":"{\"city\":\"Paris\"}"}""", Delta(10).GetRawText());

        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2], _events.Skip(1).Take(11).Select(e => e.Data.GetProperty("index").GetInt32()));
        Assert.Equal("""{"stop_reason":"tool_use","stop_sequence":null}""", _events[12].Data.GetProperty("delta").GetRawText());
        Assert.Equal("""{"input_tokens":32,"output_tokens":25,"cache_creation_input_tokens":0,"cache_read_input_tokens":8}""",
            _events[12].Data.GetProperty("usage").GetRawText());
    }

    [Fact]
    public void Stream_EmptyTextDeltas_OpenNoBlockAndTheFirstRealFragmentIsKept()
    {
        var answer = Events();

        Add(answer.Started());
        Add(answer.Text(""));
        Add(answer.Text("Hel"));
        Add(answer.Text("lo"));
        Add(answer.Finished());

        Assert.Equal(["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            _events.Select(e => e.Event));
        Assert.Equal("Hel", Delta(2).GetProperty("text").GetString());
        Assert.Equal("end_turn", _events[5].Data.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.True(_events[5].Data.GetProperty("usage").GetProperty("output_tokens").GetInt32() > 0); // estimated: the upstream reported none
    }

    [Fact]
    public void Stream_StopSequenceSplitAcrossDeltas_ClosesTheMessageAtOnceAndDropsTheRest()
    {
        var answer = Events(stopSequences: ["STOP"]);

        Add(answer.Started());
        Add(answer.Text("one two ST"));
        Add(answer.Text("OP three"));
        var closedAtHit = answer.Closed;
        Add(answer.Text("four"));
        Add(answer.Failed(new ApiException(HttpStatusCode.BadGateway, "server_error", "upstream_stream_interrupted", "late")));
        Add(answer.Finished());

        Assert.True(closedAtHit);
        Assert.Equal("one two ", string.Concat(_events.Where(e => e.Event == "content_block_delta").Select(e => e.Data.GetProperty("delta").GetProperty("text").GetString())));
        var delta = _events.Single(e => e.Event == "message_delta").Data.GetProperty("delta");
        Assert.Equal("""{"stop_reason":"stop_sequence","stop_sequence":"STOP"}""", delta.GetRawText());
        Assert.Equal("message_stop", _events[^1].Event);
    }

    [Fact]
    public void Stream_OutputPastMaxTokens_IsCutThereWithMaxTokens()
    {
        var answer = Events(maxTokens: 2);

        Add(answer.Started());
        Add(answer.Text("abcd"));
        Add(answer.Text("efghij"));
        answer.Usage(AnswerUsage.FromUpstream(10, 40, 0));
        Add(answer.Finished());

        Assert.Equal("abcdefgh", string.Concat(_events.Where(e => e.Event == "content_block_delta").Select(e => e.Data.GetProperty("delta").GetProperty("text").GetString())));
        var end = _events.Single(e => e.Event == "message_delta").Data;
        Assert.Equal("max_tokens", end.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(2, end.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.Equal("message_stop", _events[^1].Event);
    }

    [Fact]
    public void Failed_AfterStart_IsOneErrorEventAndNoMessageStop()
    {
        var answer = Events();
        Add(answer.Started());
        Add(answer.Text("partial"));

        Add(answer.Failed(new ApiException(HttpStatusCode.BadGateway, "server_error", "upstream_stream_interrupted", "The upstream stream ended early.")));
        Add(answer.Finished());

        Assert.Equal("error", _events[^1].Event);
        Assert.Equal("""{"type":"error","error":{"type":"api_error","message":"The upstream stream ended early."}}""", _events[^1].Data.GetRawText());
        Assert.DoesNotContain(_events, e => e.Event is "message_stop" or "message_delta" or "content_block_stop");
    }

    [Fact]
    public void Whole_ThinkingTextAndCall_IsAnthropicsMessageObject()
    {
        var answer = Events();

        var json = JsonDocument.Parse(answer.Whole("Think.", "Checking.", [("call_x1", "get_weather", """{"city": "Paris"}""")],
            AnswerUsage.FromUpstream(50, 20, 0), truncated: false)).RootElement;

        Assert.StartsWith("msg_", json.GetProperty("id").GetString());
        Assert.Equal("tool_use", json.GetProperty("stop_reason").GetString());
        var content = json.GetProperty("content");
        Assert.Equal(["thinking", "text", "tool_use"], content.EnumerateArray().Select(b => b.GetProperty("type").GetString()));
        Assert.True(_signatures.Verify("Think.", content[0].GetProperty("signature").GetString()));
        Assert.Equal("""{"type":"tool_use","id":"toolu_x1","name":"get_weather","input":{"city":"Paris"}}""", content[2].GetRawText());
        Assert.Equal(50, json.GetProperty("usage").GetProperty("input_tokens").GetInt32());
    }

    [Fact]
    public void Whole_StopSequence_CutsTheTextAndNamesTheSequence()
    {
        var json = JsonDocument.Parse(Events(stopSequences: ["\n\nHuman:"]).Whole("", "Sure.\n\nHuman: next", [], null, truncated: false)).RootElement;

        Assert.Equal("Sure.", json.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("stop_sequence", json.GetProperty("stop_reason").GetString());
        Assert.Equal("\n\nHuman:", json.GetProperty("stop_sequence").GetString());
    }

    private MessageEvents Events(IReadOnlyList<string>? stopSequences = null, int? maxTokens = null) =>
        new(new MessageJson(AnthropicIds.Message(), "qwen3-max"), new MessageAssembler(_signatures, stopSequences ?? [], maxTokens), inputTokensEstimate: 12);

    private void Add(IEnumerable<(string Event, string Data)> events) =>
        _events.AddRange(events.Select(e => (e.Event, JsonDocument.Parse(e.Data).RootElement.Clone())));

    private JsonElement Delta(int index) => _events[index].Data.GetProperty("delta");
}
