using System.ClientModel.Primitives;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using QwenFunctions.Chat;
using QwenFunctions.Configuration;
using QwenFunctions.Http;
using QwenFunctions.NativeChat;
using QwenFunctions.OpenAI;
using FinishReason = QwenFunctions.Chat.ChatFinishReason;

#pragma warning disable OPENAI001 // OpenAIContext: the SDK's own model reader, evaluation API

namespace QwenFunctions.Tests.OpenAI;

/// <summary>
/// Tool-call events of the pipeline rendered by the two chat.completion formats, read back with the OpenAI SDK's own
/// model reader: what an SDK client will see once the tool-call parser produces them.
/// </summary>
public sealed class ChatFormatToolCallTests
{
    private static readonly ChatAnswerInfo Info = new("resp-1", "chat-1", "qwen3-max", DateTimeOffset.FromUnixTimeSeconds(1790000000));

    private static readonly ChatEvent[] ToolCallStream =
    [
        new ChatStarted(Info),
        new ChatTextDelta("Checking."),
        new ChatToolCallStarted(0, "call_a", "get_weather"),
        new ChatToolCallArgumentsDelta(0, "{\"city\":"),
        new ChatToolCallArgumentsDelta(0, "\"Paris\"}"),
        new ChatToolCallCompleted(0),
        new ChatToolCallStarted(1, "call_b", "get_time"),
        new ChatToolCallArgumentsDelta(1, "{}"),
        new ChatToolCallCompleted(1),
        new ChatUsage(10, 5, 15, 0, 0),
        new ChatFinished(FinishReason.ToolCalls),
    ];

    [Fact]
    public void OpenAIStream_ToolCallEvents_AreToolCallDeltasTheSdkReadsWithFinishReasonToolCalls()
    {
        var format = new OpenAIChatFormat(includeUsage: true, ReasoningOutput.ReasoningContent);

        var frames = ToolCallStream.SelectMany(format.Stream).ToList();

        Assert.Equal(SseFrame.Done, frames[^1]);
        var updates = frames.SkipLast(1).Select(f => ModelReaderWriter.Read<StreamingChatCompletionUpdate>(BinaryData.FromString(f.Data), ModelReaderWriterOptions.Json, OpenAIContext.Default)!).ToList();
        var calls = updates.SelectMany(u => u.ToolCallUpdates).GroupBy(c => c.Index).ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal("call_a", calls[0].First().ToolCallId);
        Assert.Equal("get_weather", calls[0].First().FunctionName);
        Assert.Equal("{\"city\":\"Paris\"}", string.Concat(calls[0].Select(c => c.FunctionArgumentsUpdate?.ToString())));
        Assert.Equal("get_time", calls[1].First().FunctionName);
        Assert.Equal(global::OpenAI.Chat.ChatFinishReason.ToolCalls, updates.Single(u => u.FinishReason is not null).FinishReason);
        Assert.Equal("Checking.", string.Concat(updates.SelectMany(u => u.ContentUpdate).Select(p => p.Text)));
        Assert.Equal(15, updates[^1].Usage.TotalTokenCount);
    }

    [Fact]
    public void OpenAIWhole_AnswerWithToolCalls_IsAMessageWithToolCallsTheSdkReads()
    {
        var builder = new ChatAnswer.Builder(Info);
        foreach (var ev in ToolCallStream)
        {
            builder.Add(ev);
        }

        var json = new OpenAIChatFormat(includeUsage: false, ReasoningOutput.ReasoningContent).Whole(builder.Build());

        var completion = ModelReaderWriter.Read<ChatCompletion>(BinaryData.FromString(json), ModelReaderWriterOptions.Json, OpenAIContext.Default)!;
        Assert.Equal(global::OpenAI.Chat.ChatFinishReason.ToolCalls, completion.FinishReason);
        Assert.Equal(["call_a", "call_b"], completion.ToolCalls.Select(c => c.Id));
        Assert.Equal("{\"city\":\"Paris\"}", completion.ToolCalls[0].FunctionArguments.ToString());
        Assert.Equal("get_time", completion.ToolCalls[1].FunctionName);
        Assert.Equal("chatcmpl-resp-1", completion.Id);
    }

    [Fact]
    public void NativeStream_ToolCallEvents_CarryTheSameFieldsAndTheConversationOnTheFinishChunk()
    {
        var format = new NativeChatFormat(ReasoningOutput.ReasoningContent);

        var frames = ToolCallStream.SelectMany(format.Stream).ToList();

        Assert.Equal(SseFrame.Done, frames[^1]);
        var chunks = frames.SkipLast(1).Select(f => JsonDocument.Parse(f.Data).RootElement).ToList();
        var started = chunks.Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
            .Where(d => d.TryGetProperty("tool_calls", out var t) && t[0].TryGetProperty("id", out _))
            .Select(d => d.GetProperty("tool_calls")[0]).ToList();
        Assert.Equal(["call_a", "call_b"], started.Select(c => c.GetProperty("id").GetString()));
        Assert.Equal("get_weather", started[0].GetProperty("function").GetProperty("name").GetString());
        var finish = chunks[^1];
        Assert.Equal("tool_calls", finish.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal("chat-1", finish.GetProperty("chatId").GetString());
        Assert.Equal("resp-1", finish.GetProperty("parentId").GetString());
        Assert.Equal(15, finish.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public void Stream_FailureAfterStart_IsTheInBandErrorEnvelopeAndNoDone()
    {
        var format = new OpenAIChatFormat(includeUsage: false, ReasoningOutput.ReasoningContent);

        var frames = format.Stream(new ChatStarted(Info)).Concat(format.Stream(new ChatFailed(ApiException.BadRequest("broken", "messages")))).ToList();

        Assert.DoesNotContain(SseFrame.Done, frames);
        Assert.Equal("broken", JsonDocument.Parse(frames[^1].Data).RootElement.GetProperty("error").GetProperty("message").GetString());
    }
}
