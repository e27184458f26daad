using System.Net;
using System.Net.ServerSentEvents;
using System.Text;
using Microsoft.Extensions.Options;
using QwenFunctions.Anthropic;
using QwenFunctions.Chat;
using QwenFunctions.Http;

namespace QwenFunctions.Tests.Anthropic;

/// <summary>The pipeline's events through the Anthropic format, as bytes on the wire.</summary>
public sealed class AnthropicMessageFormatTests
{
    private readonly ThinkingSignature _signatures = new(Options.Create(new AnthropicOptions()));

    [Fact]
    public async Task Stream_PipelineEvents_AreNamedEventsWhoseNameMatchesTheirType()
    {
        var format = Format();
        var wire = Wire(format,
            new ChatStarted(new ChatAnswerInfo("r1", "c1", "qwen3-max", DateTimeOffset.UnixEpoch)),
            ChatKeepAlive.Instance,
            new ChatTextDelta("Hi"),
            new ChatToolCallStarted(0, "call_1", "lookup"),
            new ChatToolCallArgumentsDelta(0, "{\"q\":1}"),
            new ChatToolCallCompleted(0),
            new ChatUsage(30, 5, 35, 0, 10),
            new ChatFinished(ChatFinishReason.ToolCalls));

        var events = new List<SseItem<string>>();
        await foreach (var item in SseParser.Create(new MemoryStream(Encoding.UTF8.GetBytes(wire))).EnumerateAsync())
        {
            events.Add(item);
        }

        Assert.Equal(["message_start", "ping", "content_block_start", "content_block_delta", "content_block_stop",
            "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"], events.Select(e => e.EventType));
        Assert.All(events, e => Assert.Contains($"\"type\":\"{e.EventType}\"", e.Data));
        Assert.Contains("\"usage\":{\"input_tokens\":20,\"output_tokens\":5,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":10}", events[^2].Data);
        Assert.Equal(new SseFrame("ping", """{"type":"ping"}"""), format.Heartbeat);
        Assert.True(format.Ended);
    }

    [Fact]
    public void Stream_FailureAfterStart_IsAnErrorEventAndTheFormatEnds()
    {
        var format = Format();
        Wire(format, new ChatStarted(new ChatAnswerInfo("r1", "c1", "m", DateTimeOffset.UnixEpoch)), new ChatTextDelta("par"));

        var wire = Wire(format, new ChatFailed(new ApiException(HttpStatusCode.TooManyRequests, "insufficient_quota", "insufficient_quota", "Every account is cooling down.")));

        Assert.Equal("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Every account is cooling down.\"}}\n\n", wire);
        Assert.True(format.Ended);
    }

    private AnthropicMessageFormat Format() =>
        new(new MessageEvents(new MessageJson(AnthropicIds.Message(), "qwen3-max"), new MessageAssembler(_signatures, [], null), inputTokensEstimate: 9));

    private static string Wire(IChatFormat format, params ChatEvent[] events) =>
        string.Concat(events.SelectMany(format.Stream).Select(f => Encoding.UTF8.GetString(f.ToBytes())));
}
