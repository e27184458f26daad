using System.ClientModel.Primitives;
using System.Text.Json;
using OpenAI.Responses;
using QwenFunctions.Http;
using QwenFunctions.Responses;

namespace QwenFunctions.Tests.Responses;

#pragma warning disable OPENAI001 // the Responses types of the SDK are marked experimental

/// <summary>What the official .NET SDK makes of the response object and the stream events the writer produces.</summary>
public sealed class ResponseSdkShapeTests
{
    [Fact]
    public void SdkReadsTheCompletedResponse_WithEveryItemKind()
    {
        var events = new List<(string Type, string Json)>();
        var request = ResponseInputReader.Read(JsonSerializer.Deserialize<ResponsesRequest>(
            """{"model":"qwen3-max","instructions":"Be kind.","input":"hi","tools":[{"type":"function","name":"get_weather","parameters":{"type":"object"}},{"type":"custom","name":"apply_patch"}]}""",
            ApiJson.Options)!);
        var writer = new ResponseEventWriter(ResponseObject.For(request, "qwen3-max", 1_790_000_000), (t, j) => events.Add((t, j)));

        writer.Start();
        writer.Reasoning("Thinking.");
        writer.Text("Hi");
        writer.ToolCallStarted("call_1", "get_weather", custom: false);
        writer.ToolCallArguments("{\"city\":\"Paris\"}");
        writer.ToolCallCompleted(null);
        writer.ToolCallStarted("call_2", "apply_patch", custom: true);
        writer.ToolCallArguments("*** Begin Patch");
        writer.ToolCallCompleted(null);
        writer.Complete(new ResponseUsage(10, new(0, 0), 5, new(2), 15));

        var response = ModelReaderWriter.Read<ResponseResult>(BinaryData.FromString(JsonSerializer.Serialize(writer.Response, ApiJson.Options)))!;
        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.Equal("qwen3-max", response.Model);
        Assert.Equal("Hi", response.GetOutputText());
        Assert.Equal(15, response.Usage.TotalTokenCount);
        Assert.Equal(2, response.Usage.OutputTokenDetails.ReasoningTokenCount);
        Assert.Collection(response.OutputItems,
            i => Assert.Equal("Thinking.", Assert.IsType<ReasoningResponseItem>(i).GetSummaryText()),
            i => Assert.Equal(MessageRole.Assistant, Assert.IsAssignableFrom<MessageResponseItem>(i).Role),
            i =>
            {
                var call = Assert.IsType<FunctionCallResponseItem>(i);
                Assert.Equal(("call_1", "get_weather", "{\"city\":\"Paris\"}"), (call.CallId, call.FunctionName, call.FunctionArguments.ToString()));
            },
            i => Assert.Equal("*** Begin Patch", Assert.IsType<CustomToolCallItem>(i).Input));

        var updates = events.Select(e => ModelReaderWriter.Read<StreamingResponseUpdate>(BinaryData.FromString(e.Json))).ToList();
        Assert.IsType<StreamingResponseCreatedUpdate>(updates[0]);
        Assert.Contains(updates, u => u is StreamingResponseOutputTextDeltaUpdate { Delta: "Hi" });
        Assert.Contains(updates, u => u is StreamingResponseFunctionCallArgumentsDoneUpdate);
        Assert.Equal(15, Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]).Response.Usage.TotalTokenCount);
    }

    [Fact]
    public void SdkReadsTheFailureEvents()
    {
        var events = new List<string>();
        var request = ResponseInputReader.Read(new ResponsesRequest { Input = JsonDocument.Parse("\"hi\"").RootElement });
        var writer = new ResponseEventWriter(ResponseObject.For(request, "m", 1), (_, j) => events.Add(j));

        writer.Start();
        writer.Fail("server_error", "Broken off.", "server_error", null);

        var error = Assert.IsType<StreamingResponseErrorUpdate>(ModelReaderWriter.Read<StreamingResponseUpdate>(BinaryData.FromString(events[^2])));
        Assert.Equal(("server_error", "Broken off."), (error.Code, error.Message));
        var failed = Assert.IsType<StreamingResponseFailedUpdate>(ModelReaderWriter.Read<StreamingResponseUpdate>(BinaryData.FromString(events[^1])));
        Assert.Equal(ResponseStatus.Failed, failed.Response.Status);
    }
}
