using System.Net;
using System.Runtime.CompilerServices;
using QwenFunctions.Http;

namespace QwenFunctions.Chat.Tools;

/// <summary>
/// The pipeline stage that turns the model's &lt;tool_call&gt; text into tool-call events for every surface. Only answer
/// text goes through the parser (reasoning never does); an answer with calls finishes with
/// <see cref="ChatFinishReason.ToolCalls"/>. When the tool choice demands a call and none came, the answer ends with
/// <see cref="MissingCall"/>: a whole answer is asked for again, a stream gets it as its in-band error.
/// </summary>
public sealed class ToolCallFilter : IChatEventFilter
{
    public const string MissingCallCode = "tool_call_missing";

    public static ApiException MissingCall(ToolSet tools) => new(HttpStatusCode.BadGateway, "server_error", MissingCallCode,
        tools.Choice.Mode == ToolChoiceMode.Named
            ? $"The model answered without calling '{tools.Choice.FunctionName}', which tool_choice requires (forced tool calls are best effort over this upstream)."
            : "The model answered without calling a tool, which tool_choice 'required' demands (forced tool calls are best effort over this upstream).");

    public async IAsyncEnumerable<ChatEvent> FilterAsync(ChatTurn turn, IAsyncEnumerable<ChatEvent> events, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!turn.Tools.Active)
        {
            await foreach (var ev in events.WithCancellation(cancellationToken))
            {
                yield return ev;
            }

            yield break;
        }

        var parser = new ToolCallStreamParser(turn.Tools);
        await foreach (var ev in events.WithCancellation(cancellationToken))
        {
            if (ev is ChatTextDelta text)
            {
                foreach (var mapped in Map(parser.Push(text.Text)))
                {
                    yield return mapped;
                }
            }
            else if (ev is ChatFinished finished)
            {
                foreach (var mapped in Map(parser.Finish()))
                {
                    yield return mapped;
                }

                if (parser.Calls.Count == 0 && turn.Tools.Choice.DemandsCall)
                {
                    throw MissingCall(turn.Tools);
                }

                yield return parser.Calls.Count > 0 ? new ChatFinished(ChatFinishReason.ToolCalls) : finished;
            }
            else
            {
                yield return ev;
            }
        }
    }

    private static IEnumerable<ChatEvent> Map(IEnumerable<ToolStreamEvent> events) => events.Select(ev => ev switch
    {
        ToolTextDelta t => (ChatEvent)new ChatTextDelta(t.Text),
        ToolCallStarted s => new ChatToolCallStarted(s.Index, s.Id, s.Name, s.Kind),
        ToolCallArgumentsDelta a => new ChatToolCallArgumentsDelta(a.Index, a.Fragment),
        ToolCallCompleted c => new ChatToolCallCompleted(c.Index),
        _ => throw new InvalidOperationException($"Unknown tool stream event {ev.GetType().Name}."),
    });
}
