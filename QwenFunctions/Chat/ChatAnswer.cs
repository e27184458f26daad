using System.Text;
using QwenFunctions.Chat.Tools;

namespace QwenFunctions.Chat;

/// <summary>A whole answer, for non-streaming clients: everything the events of one answer said.</summary>
public sealed record ChatAnswer(
    ChatAnswerInfo Info,
    string Content,
    string Reasoning,
    IReadOnlyList<string> ImageUrls,
    IReadOnlyList<ToolCall> ToolCalls,
    ChatUsage Usage,
    ChatFinishReason FinishReason)
{
    /// <summary>Collects the events of one answer (the same events a stream would render).</summary>
    public sealed class Builder(ChatAnswerInfo info)
    {
        private readonly StringBuilder _content = new();
        private readonly StringBuilder _reasoning = new();
        private readonly List<string> _images = [];
        private readonly SortedDictionary<int, (string Id, string Name, ToolKind Kind, StringBuilder Arguments)> _calls = [];
        private ChatUsage _usage = ChatUsage.Zero;
        private ChatFinishReason _finish = ChatFinishReason.Stop;

        public void Add(ChatEvent ev)
        {
            switch (ev)
            {
                case ChatTextDelta text:
                    _content.Append(text.Text);
                    break;
                case ChatReasoningDelta thought:
                    _reasoning.Append(thought.Text);
                    break;
                case ChatImageGenerated image:
                    _images.Add(image.Url);
                    break;
                case ChatToolCallStarted call:
                    _calls[call.Index] = (call.Id, call.Name, call.Kind, new StringBuilder());
                    break;
                case ChatToolCallArgumentsDelta args when _calls.TryGetValue(args.Index, out var call):
                    call.Arguments.Append(args.Text);
                    break;
                case ChatUsage usage:
                    _usage = usage;
                    break;
                case ChatFinished finished:
                    _finish = finished.Reason;
                    break;
            }
        }

        public ChatAnswer Build() => new(info, _content.ToString(), _reasoning.ToString(), _images,
            _calls.Values.Select(c => new ToolCall(c.Id, c.Name, c.Arguments.ToString(), c.Kind)).ToList(), _usage, _finish);
    }
}
