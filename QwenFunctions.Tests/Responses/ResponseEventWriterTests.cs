using System.Text.Json;
using QwenFunctions.Http;
using QwenFunctions.Responses;

namespace QwenFunctions.Tests.Responses;

/// <summary>The Responses event sequence, as openai-node's accumulator and Codex's turn loop enforce it.</summary>
public sealed class ResponseEventWriterTests
{
    [Fact]
    public void ReasoningTextAndCall_FollowTheSpecSequence()
    {
        var (writer, sink) = Writer();

        writer.Start();
        writer.Reasoning("Let me ");
        writer.Reasoning("think.");
        writer.Text("Hi");
        writer.Text(" there");
        writer.ToolCallStarted("call_1", "get_weather", custom: false);
        writer.ToolCallArguments("{\"city\":");
        writer.ToolCallArguments("\"Paris\"}");
        writer.ToolCallCompleted("{\"city\":\"Paris\"}");
        writer.Complete(new ResponseUsage(50, new(3, 0), 20, new(8), 70));

        Assert.Equal(
        [
            "response.created", "response.in_progress",
            "response.output_item.added", "response.reasoning_summary_part.added",
            "response.reasoning_summary_text.delta", "response.reasoning_summary_text.delta",
            "response.reasoning_summary_text.done", "response.reasoning_summary_part.done", "response.output_item.done",
            "response.output_item.added", "response.content_part.added",
            "response.output_text.delta", "response.output_text.delta",
            "response.output_text.done", "response.content_part.done", "response.output_item.done",
            "response.output_item.added",
            "response.function_call_arguments.delta", "response.function_call_arguments.delta",
            "response.function_call_arguments.done", "response.output_item.done",
            "response.completed",
        ], sink.Types);
        Assert.Equal(Enumerable.Range(0, sink.Events.Count), sink.Events.Select(e => e.Data.GetProperty("sequence_number").GetInt32()));
        Assert.All(sink.Events, e => Assert.Equal(e.Type, e.Data.GetProperty("type").GetString()));

        var reasoningAdded = sink.Events[2].Data;
        Assert.Equal(0, reasoningAdded.GetProperty("output_index").GetInt32());
        Assert.Equal("reasoning", reasoningAdded.GetProperty("item").GetProperty("type").GetString());
        Assert.Equal(0, reasoningAdded.GetProperty("item").GetProperty("summary").GetArrayLength()); // Codex requires the field
        Assert.Equal("Let me think.", sink.Events[6].Data.GetProperty("text").GetString());

        var messageAdded = sink.Events[9].Data.GetProperty("item");
        Assert.Equal("in_progress", messageAdded.GetProperty("status").GetString());
        Assert.Equal(0, messageAdded.GetProperty("content").GetArrayLength());
        var messageId = messageAdded.GetProperty("id").GetString();
        Assert.StartsWith("msg_", messageId);
        Assert.All(sink.Events[10..15], e => Assert.Equal(messageId, e.Data.GetProperty("item_id").GetString()));
        Assert.All(sink.Events[10..16], e => Assert.Equal(1, e.Data.GetProperty("output_index").GetInt32()));
        Assert.Equal("Hi there", sink.Events[13].Data.GetProperty("text").GetString());

        var callAdded = sink.Events[16].Data.GetProperty("item");
        Assert.Equal("function_call", callAdded.GetProperty("type").GetString());
        Assert.Equal("call_1", callAdded.GetProperty("call_id").GetString());
        Assert.Equal("", callAdded.GetProperty("arguments").GetString());
        Assert.Equal("get_weather", sink.Events[19].Data.GetProperty("name").GetString());
        Assert.Equal("{\"city\":\"Paris\"}", sink.Events[19].Data.GetProperty("arguments").GetString());
        var callDone = sink.Events[20].Data.GetProperty("item");
        Assert.Equal("completed", callDone.GetProperty("status").GetString());
        Assert.Equal(callAdded.GetProperty("id").GetString(), callDone.GetProperty("id").GetString());

        var completed = sink.Events[^1].Data.GetProperty("response");
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        var output = completed.GetProperty("output");
        Assert.Equal(["reasoning", "message", "function_call"], output.EnumerateArray().Select(i => i.GetProperty("type").GetString()));
        Assert.Equal("Let me think.", output[0].GetProperty("summary")[0].GetProperty("text").GetString());
        Assert.Equal("Hi there", output[1].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("{\"city\":\"Paris\"}", output[2].GetProperty("arguments").GetString());
        var usage = completed.GetProperty("usage");
        Assert.Equal(70, usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(8, usage.GetProperty("output_tokens_details").GetProperty("reasoning_tokens").GetInt32());
        Assert.Equal(3, usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32());
    }

    [Fact]
    public void Created_IsInProgressWithEmptyOutputAndNoUsage()
    {
        var (writer, sink) = Writer();

        writer.Start();

        var created = sink.Events[0].Data.GetProperty("response");
        Assert.Equal("response", created.GetProperty("object").GetString());
        Assert.Equal("in_progress", created.GetProperty("status").GetString());
        Assert.Equal(0, created.GetProperty("output").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("usage").ValueKind);
        Assert.Equal(JsonValueKind.Array, created.GetProperty("tools").ValueKind);
        Assert.Equal("auto", created.GetProperty("tool_choice").GetString());
        Assert.Equal(["response.created", "response.in_progress"], sink.Types);
    }

    [Fact]
    public void CustomToolCall_StreamsRawInput()
    {
        var (writer, sink) = Writer();
        const string patch = "*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch";

        writer.Start();
        writer.ToolCallStarted("call_p", "apply_patch", custom: true);
        writer.ToolCallArguments(patch[..10]);
        writer.ToolCallArguments(patch[10..]);
        writer.ToolCallCompleted(patch);
        writer.Complete(ResponseUsage.From(null));

        Assert.Equal(
        [
            "response.created", "response.in_progress", "response.output_item.added",
            "response.custom_tool_call_input.delta", "response.custom_tool_call_input.delta",
            "response.custom_tool_call_input.done", "response.output_item.done", "response.completed",
        ], sink.Types);
        Assert.Equal(patch, sink.Events[5].Data.GetProperty("input").GetString());
        var item = sink.Events[6].Data.GetProperty("item");
        Assert.Equal("custom_tool_call", item.GetProperty("type").GetString());
        Assert.StartsWith("ctc_", item.GetProperty("id").GetString());
        Assert.Equal(patch, item.GetProperty("input").GetString());
        Assert.False(item.TryGetProperty("arguments", out _));
    }

    [Fact]
    public void FailureAfterStart_EndsWithErrorAndFailed_NeverCompleted()
    {
        var (writer, sink) = Writer();

        writer.Start();
        writer.Text("Partial");
        writer.Fail("upstream_stream_interrupted", "The upstream broke off.", "server_error", null);
        writer.Complete(ResponseUsage.From(null));

        Assert.Equal(["error", "response.failed"], sink.Types[^2..]);
        Assert.DoesNotContain("response.completed", sink.Types);
        var error = sink.Events[^2].Data;
        Assert.Equal("upstream_stream_interrupted", error.GetProperty("code").GetString());
        Assert.Equal("The upstream broke off.", error.GetProperty("error").GetProperty("message").GetString());
        var failed = sink.Events[^1].Data.GetProperty("response");
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("upstream_stream_interrupted", failed.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public void WholeResponse_WithoutAStream_HoldsTheSameOutput()
    {
        var response = NewResponse();
        var writer = new ResponseEventWriter(response);

        writer.Start();
        writer.Text("Hello");
        writer.Complete(ResponseUsage.From(null));

        var json = JsonSerializer.SerializeToElement(response, ApiJson.Options);
        Assert.Equal("completed", json.GetProperty("status").GetString());
        Assert.Equal("Hello", json.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.StartsWith("resp_", json.GetProperty("id").GetString());
    }

    private static ResponseObject NewResponse() =>
        ResponseObject.For(ResponseInputReader.Read(new ResponsesRequest { Input = JsonDocument.Parse("\"hi\"").RootElement }), "qwen3-max", 1_790_000_000);

    private static (ResponseEventWriter, RecordingSink) Writer()
    {
        var sink = new RecordingSink();
        return (new ResponseEventWriter(NewResponse(), sink.Add), sink);
    }

    private sealed class RecordingSink
    {
        public List<(string Type, JsonElement Data)> Events { get; } = [];

        public List<string> Types => Events.Select(e => e.Type).ToList();

        public void Add(string type, string json) => Events.Add((type, JsonDocument.Parse(json).RootElement.Clone()));
    }
}
