using QwenFunctions.Http;

namespace QwenFunctions.Anthropic;

/// <summary>
/// One answer as the Messages API renders it: the stream's events (<c>message_start</c>, the content blocks in order,
/// <c>message_delta</c> with the stop reason and cumulative usage, <c>message_stop</c>), or the whole message. A
/// stop sequence or max_tokens closes the message at once; what the upstream sends after that is dropped. A failure
/// after the first byte is one <c>error</c> event and never <c>message_stop</c>, so SDKs raise instead of taking a
/// truncated answer for a complete one.
/// </summary>
public sealed class MessageEvents(MessageJson json, MessageAssembler answer, int inputTokensEstimate)
{
    private bool _started;

    /// <summary>The message was closed (message_stop or error sent): nothing more belongs to this stream.</summary>
    public bool Closed { get; private set; }

    public IReadOnlyList<(string Event, string Data)> Started() => Render([]);

    public IReadOnlyList<(string Event, string Data)> Reasoning(string text) => Render(answer.Reasoning(text));

    public IReadOnlyList<(string Event, string Data)> Text(string text) => Render(answer.Text(text));

    public IReadOnlyList<(string Event, string Data)> ToolCallStarted(string? callId, string name) => Render(answer.ToolCallStarted(callId, name));

    public void ToolCallArguments(string fragment) => answer.ToolCallArguments(fragment);

    public IReadOnlyList<(string Event, string Data)> ToolCallCompleted(string? argumentsJson = null) => Render(answer.ToolCallCompleted(argumentsJson));

    public void Usage(AnswerUsage usage) => answer.UpstreamUsage = usage;

    public IReadOnlyList<(string Event, string Data)> Finished(bool truncated = false) => Render(answer.Finish(truncated));

    public IReadOnlyList<(string Event, string Data)> Failed(ApiException error)
    {
        if (Closed)
        {
            return []; // the client already has a complete message
        }

        Closed = true;
        return [MessageJson.Error(error)];
    }

    /// <summary>The whole (non-streaming) message of an answer, with the same stop rules as the stream.</summary>
    public string Whole(string reasoning, string text, IEnumerable<(string Id, string Name, string Arguments)> toolCalls, AnswerUsage? usage, bool truncated)
    {
        answer.Reasoning(reasoning);
        answer.Text(text);
        foreach (var (id, name, arguments) in toolCalls)
        {
            answer.ToolCallStarted(id, name);
            answer.ToolCallCompleted(arguments);
        }

        answer.UpstreamUsage = usage;
        answer.Finish(truncated);
        return json.Message(answer, answer.FinalUsage(inputTokensEstimate));
    }

    private List<(string Event, string Data)> Render(IReadOnlyList<BlockFrame> frames)
    {
        var events = new List<(string Event, string Data)>();
        if (Closed)
        {
            return events;
        }

        if (!_started)
        {
            _started = true;
            events.Add(json.MessageStart(inputTokensEstimate));
        }

        events.AddRange(frames.Select(json.Frame));
        if (answer.Ended)
        {
            Closed = true;
            events.Add(json.MessageDelta(answer, answer.FinalUsage(inputTokensEstimate)));
            events.Add(MessageJson.MessageStop());
        }

        return events;
    }
}
