using System.Net;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using QwenFunctions.Anthropic;
using QwenFunctions.Http;

namespace QwenFunctions.Tests.Anthropic;

/// <summary>The Messages API event stream exactly as a client reads it off the wire.</summary>
public sealed class MessageStreamWriterTests
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    private readonly ThinkingSignature _signatures = new(Options.Create(new AnthropicOptions()));
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Stream_ThinkingTextAndToolCall_OpensFillsAndClosesEachBlockInOrder()
    {
        var (writer, body) = Writer();

        await writer.StartAsync(default);
        await writer.ReasoningAsync("Need the ", default);
        await writer.ReasoningAsync("weather.", default);
        await writer.TextAsync("Checking.", default);
        await writer.ToolCallStartedAsync("call_abc123", "get_weather", default);
        writer.ToolCallArguments("{\"city\":");
        writer.ToolCallArguments("\"Paris\"}");
        await writer.ToolCallCompletedAsync(null, default);
        await writer.UsageAsync(AnswerUsage.FromUpstream(40, 25, 0), default);
        await writer.FinishAsync(truncated: false, default);

        var events = await EventsAsync(body);
        Assert.Equal(
        [
            "message_start",
            "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop",
            "content_block_start", "content_block_delta", "content_block_stop",
            "content_block_start", "content_block_delta", "content_block_stop",
            "message_delta", "message_stop",
        ], events.Select(e => e.Event));
        Assert.All(events, e => Assert.Equal(e.Event, e.Data.GetProperty("type").GetString()));

        var message = events[0].Data.GetProperty("message");
        Assert.StartsWith("msg_", message.GetProperty("id").GetString());
        Assert.Equal("qwen3-max", message.GetProperty("model").GetString());
        Assert.Equal(0, message.GetProperty("content").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("stop_reason").ValueKind);
        Assert.Equal(12, message.GetProperty("usage").GetProperty("input_tokens").GetInt32());

        Assert.Equal("""{"type":"thinking","thinking":"","signature":""}""", events[1].Data.GetProperty("content_block").GetRawText());
        Assert.Equal("thinking_delta", Delta(events[2]).GetProperty("type").GetString());
        var signature = Delta(events[4]);
        Assert.Equal("signature_delta", signature.GetProperty("type").GetString());
        Assert.True(_signatures.Verify("Need the weather.", signature.GetProperty("signature").GetString()));

        Assert.Equal("""{"type":"text","text":""}""", events[6].Data.GetProperty("content_block").GetRawText());
        Assert.Equal("Checking.", Delta(events[7]).GetProperty("text").GetString());

        var tool = events[9].Data.GetProperty("content_block");
        Assert.Equal("tool_use", tool.GetProperty("type").GetString());
        Assert.Equal("toolu_abc123", tool.GetProperty("id").GetString());
        Assert.Equal("get_weather", tool.GetProperty("name").GetString());
        Assert.Equal("{}", tool.GetProperty("input").GetRawText());
        Assert.Equal("input_json_delta", Delta(events[10]).GetProperty("type").GetString());
        Assert.Equal("""{"city":"Paris"}""", Delta(events[10]).GetProperty("partial_json").GetString());

        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2], events.Skip(1).Take(11).Select(e => e.Data.GetProperty("index").GetInt32()));
        var end = events[12].Data;
        Assert.Equal("tool_use", end.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(JsonValueKind.Null, end.GetProperty("delta").GetProperty("stop_sequence").ValueKind);
        Assert.Equal(40, end.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal(25, end.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task Stream_EmptyTextDeltas_OpenNoBlockAndTheFirstRealFragmentIsKept()
    {
        var (writer, body) = Writer();

        await writer.StartAsync(default);
        await writer.TextAsync("", default);
        await writer.TextAsync("Hel", default);
        await writer.TextAsync("lo", default);
        await writer.FinishAsync(truncated: false, default);

        var events = await EventsAsync(body);
        Assert.Equal(["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            events.Select(e => e.Event));
        Assert.Equal("Hel", Delta(events[2]).GetProperty("text").GetString());
        Assert.Equal("end_turn", events[5].Data.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.True(events[5].Data.GetProperty("usage").GetProperty("output_tokens").GetInt32() > 0); // estimated: the upstream reported none
    }

    [Fact]
    public async Task Stream_StopSequenceSplitAcrossDeltas_CutsBeforeItAndEndsTheAnswer()
    {
        var (writer, body) = Writer(stopSequences: ["STOP"]);

        await writer.StartAsync(default);
        await writer.TextAsync("one two ST", default);
        await writer.TextAsync("OP three", default);
        var endedEarly = writer.Ended;
        await writer.TextAsync("four", default);
        await writer.FinishAsync(truncated: false, default);

        var events = await EventsAsync(body);
        Assert.True(endedEarly);
        Assert.Equal("one two ", string.Concat(events.Where(e => e.Event == "content_block_delta").Select(e => Delta(e).GetProperty("text").GetString())));
        var delta = events.Single(e => e.Event == "message_delta").Data.GetProperty("delta");
        Assert.Equal("stop_sequence", delta.GetProperty("stop_reason").GetString());
        Assert.Equal("STOP", delta.GetProperty("stop_sequence").GetString());
        Assert.Equal("message_stop", events[^1].Event);
    }

    [Fact]
    public async Task Stream_OutputCountReachesMaxTokens_EndsWithMaxTokens()
    {
        var (writer, body) = Writer(maxTokens: 5);

        await writer.StartAsync(default);
        await writer.TextAsync("a b c d e f", default);
        await writer.UsageAsync(AnswerUsage.FromUpstream(10, 6, 0), default);
        var endedEarly = writer.Ended;
        await writer.TextAsync(" g h", default);
        await writer.FinishAsync(truncated: false, default);

        var events = await EventsAsync(body);
        Assert.True(endedEarly);
        Assert.DoesNotContain(events, e => e.Event == "content_block_delta" && Delta(e).GetProperty("text").GetString()!.Contains('g'));
        Assert.Equal("max_tokens", events.Single(e => e.Event == "message_delta").Data.GetProperty("delta").GetProperty("stop_reason").GetString());
    }

    [Fact]
    public async Task TryFail_AfterStart_WritesErrorEventAndNoMessageStop()
    {
        var (writer, body) = Writer();
        await writer.StartAsync(default);
        await writer.TextAsync("partial", default);

        var written = await writer.TryFailAsync(new ApiException(HttpStatusCode.BadGateway, "server_error", "upstream_stream_interrupted", "The upstream stream ended early."), default);

        var events = await EventsAsync(body);
        Assert.True(written);
        Assert.Equal("error", events[^1].Event);
        Assert.Equal("""{"type":"error","error":{"type":"api_error","message":"The upstream stream ended early."}}""", events[^1].Data.GetRawText());
        Assert.DoesNotContain(events, e => e.Event is "message_stop" or "message_delta");
    }

    [Fact]
    public async Task Heartbeat_CommentBeforeMessageStartThenPingEvents()
    {
        var (writer, body) = Writer();

        _time.Advance(KeepAlive);
        await writer.StartAsync(default);
        _time.Advance(KeepAlive);

        Assert.Matches(@"^: keep-alive\n\nevent: message_start\ndata: \{.*\}\n\nevent: ping\ndata: \{""type"":""ping""\}\n\n$", body.Text);
    }

    private (MessageStreamWriter Writer, RecordingBody Body) Writer(IReadOnlyList<string>? stopSequences = null, int? maxTokens = null)
    {
        var body = new RecordingBody();
        var context = new DefaultHttpContext();
        context.Response.Body = body;
        var sse = new SseWriter(context.Response, _time, KeepAlive);
        var answer = new MessageAssembler(_signatures, stopSequences ?? [], maxTokens);
        return (new MessageStreamWriter(sse, new MessageJson(AnthropicIds.Message(), "qwen3-max"), answer, inputTokensEstimate: 12), body);
    }

    private static JsonElement Delta((string Event, JsonElement Data) e) => e.Data.GetProperty("delta");

    private static async Task<List<(string Event, JsonElement Data)>> EventsAsync(RecordingBody body)
    {
        var events = new List<(string, JsonElement)>();
        await foreach (var item in SseParser.Create(new MemoryStream(body.ToArray())).EnumerateAsync())
        {
            events.Add((item.EventType, JsonDocument.Parse(item.Data).RootElement.Clone()));
        }

        return events;
    }

    private sealed class RecordingBody : MemoryStream
    {
        public string Text => Encoding.UTF8.GetString(ToArray());
    }
}
