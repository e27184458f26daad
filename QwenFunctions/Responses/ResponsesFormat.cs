using System.Text.Json;
using QwenFunctions.Chat;
using QwenFunctions.Chat.Tools;
using QwenFunctions.Http;

namespace QwenFunctions.Responses;

/// <summary>
/// The Responses wire shape of one answer: pipeline events become the spec's event sequence (see
/// <see cref="ResponseEventWriter"/>), a whole answer becomes one response object. Calls to the request's custom tools
/// come back as <c>custom_tool_call</c> items with their raw input; every other call is a <c>function_call</c>.
/// </summary>
public sealed class ResponsesFormat(ParsedResponsesRequest request, bool showReasoning, TimeProvider time) : IChatFormat
{
    private readonly HashSet<string> _customTools = [.. request.Tools.Tools.Where(t => t.Kind == ToolKind.Custom).Select(t => t.Name)];
    private readonly List<SseFrame> _frames = [];
    private ResponseEventWriter? _writer;
    private ChatUsage _usage = ChatUsage.Zero;

    /// <summary>The upstream answer behind the response (its chat and id continue the conversation).</summary>
    public ChatAnswerInfo? Answer { get; private set; }

    /// <summary>The response, once it completed (null while running and after a failure).</summary>
    public ResponseObject? Completed { get; private set; }

    public IEnumerable<SseFrame> Stream(ChatEvent ev)
    {
        _frames.Clear();
        var writer = _writer ??= Begin(ev as ChatStarted, emit: true);
        switch (ev)
        {
            case ChatReasoningDelta thought when showReasoning:
                writer.Reasoning(thought.Text);
                break;
            case ChatTextDelta text:
                writer.Text(text.Text);
                break;
            case ChatImageGenerated image:
                writer.Text(image.Url + "\n");
                break;
            case ChatToolCallStarted call:
                writer.ToolCallStarted(call.Id, call.Name, IsCustom(call.Kind, call.Name));
                break;
            case ChatToolCallArgumentsDelta args:
                writer.ToolCallArguments(args.Text);
                break;
            case ChatToolCallCompleted:
                writer.ToolCallCompleted(null);
                break;
            case ChatUsage usage:
                _usage = usage;
                break;
            case ChatFinished:
                writer.Complete(Usage(_usage));
                Completed = writer.Response;
                break;
            case ChatFailed failed:
                writer.Fail(failed.Error.Code ?? failed.Error.Type, failed.Error.Message, failed.Error.Type, failed.Error.Param);
                break;
        }

        return [.. _frames];
    }

    public string Whole(ChatAnswer answer)
    {
        var writer = Begin(new ChatStarted(answer.Info), emit: false);
        if (showReasoning)
        {
            writer.Reasoning(answer.Reasoning);
        }

        writer.Text(string.Join("\n", answer.ImageUrls.Prepend(answer.Content).Where(s => s.Length > 0)));
        foreach (var call in answer.ToolCalls)
        {
            writer.ToolCallStarted(call.Id, call.Name, IsCustom(call.Kind, call.Name));
            writer.ToolCallArguments(call.Arguments);
            writer.ToolCallCompleted(call.Arguments);
        }

        writer.Complete(Usage(answer.Usage));
        Completed = writer.Response;
        return JsonSerializer.Serialize(writer.Response, ApiJson.Options);
    }

    /// <summary>
    /// The response starts with the answer; a failure before it (only heartbeats were sent) still needs a response
    /// for <c>response.failed</c> to carry, so one is made from the request.
    /// </summary>
    private ResponseEventWriter Begin(ChatStarted? started, bool emit)
    {
        Answer = started?.Answer;
        var response = ResponseObject.For(request, started?.Answer.ModelName ?? request.Body.Model ?? "",
            (started?.Answer.Created ?? time.GetUtcNow()).ToUnixTimeSeconds());
        var writer = new ResponseEventWriter(response, emit ? (type, json) => _frames.Add(new SseFrame(type, json)) : null);
        writer.Start();
        return writer;
    }

    private bool IsCustom(ToolKind kind, string name) => kind == ToolKind.Custom || _customTools.Contains(name);

    private static ResponseUsage Usage(ChatUsage usage) =>
        new(usage.InputTokens, new(usage.CachedTokens, 0), usage.OutputTokens, new(usage.ReasoningTokens), usage.TotalTokens);
}
