using System.Text;
using QwenFunctions.Chat.Tools;
using QwenFunctions.Http;

namespace QwenFunctions.Chat;

/// <summary>
/// The v2 upstream keeps history server-side and takes one new message per turn, while stateless clients resend the
/// whole conversation. This folds it into that one message: system text (and the tools, in Qwen's template format)
/// in &lt;system-instructions&gt;, earlier turns as a transcript with their tool calls and results, and the new part
/// (the last user message, or the results of the calls the model just made) at the end.
/// </summary>
public static class ConversationFolder
{
    public sealed record Folded(string Prompt, IReadOnlyList<string> ImageUrls, IReadOnlyList<string> FileRefs);

    public static Folded Fold(IReadOnlyList<ChatMessage> messages, ToolSet? tools = null)
    {
        var instructions = messages.Where(m => m.Role == ChatMessage.System && m.Text.Length > 0).Select(m => m.Text).ToList();
        if (tools is not null && ToolPrompt.Instructions(tools) is { } toolText)
        {
            instructions.Add(toolText);
        }

        var turns = messages.Where(m => m.Role != ChatMessage.System).ToList();
        var newFrom = NewPartStart(turns);
        var calls = turns.SelectMany(t => t.ToolCalls).ToList();
        var text = new StringBuilder();
        AppendInstructions(text, instructions);
        if (newFrom > 0)
        {
            text.Append("<conversation-history>\n");
            foreach (var (role, turn) in Transcript(turns.Take(newFrom).ToList(), calls, markAttachments: true))
            {
                text.Append(role).Append(": ").Append(turn).Append("\n\n");
            }

            text.Append("</conversation-history>\n\n");
        }

        return NewPart(text, turns.Skip(newFrom).ToList(), calls);
    }

    /// <summary>
    /// A continued upstream chat already holds the history: only what came after the last assistant message is new.
    /// The tools are described again, since they must be in every message that may call them.
    /// </summary>
    public static Folded FoldContinuation(IReadOnlyList<ChatMessage> messages, ToolSet? tools = null)
    {
        var turns = messages.Where(m => m.Role != ChatMessage.System).ToList();
        var lastAssistant = turns.FindLastIndex(m => m.Role == ChatMessage.Assistant);
        var fresh = turns.Skip(lastAssistant + 1).ToList();
        if (fresh.Count == 0)
        {
            throw ApiException.BadRequest("No user message in 'messages'.", "messages");
        }

        var text = new StringBuilder();
        AppendInstructions(text, tools is not null && ToolPrompt.Instructions(tools) is { } toolText ? [toolText] : []);
        return NewPart(text, fresh, turns.SelectMany(t => t.ToolCalls));
    }

    /// <summary>Where the new part begins: the last user message, with the tool results just before it, or the trailing tool results.</summary>
    private static int NewPartStart(List<ChatMessage> turns)
    {
        if (turns.Count == 0 || turns[^1].Role is not (ChatMessage.User or ChatMessage.Tool))
        {
            throw ApiException.BadRequest("The last message must be a user (or tool) message.", "messages");
        }

        var start = turns.Count - 1;
        while (start > 0 && turns[start - 1].Role == ChatMessage.Tool)
        {
            start--;
        }

        return start;
    }

    private static void AppendInstructions(StringBuilder text, IReadOnlyList<string> instructions)
    {
        if (instructions.Count > 0)
        {
            text.Append("<system-instructions>\n").AppendJoin("\n\n", instructions).Append("\n</system-instructions>\n\n");
        }
    }

    private static Folded NewPart(StringBuilder text, List<ChatMessage> fresh, IEnumerable<ToolCall> calls)
    {
        // The new part's images and files are attached to the upstream message itself, so they are not mentioned.
        var parts = Transcript(fresh, calls.ToList(), markAttachments: false).Select(t => t.Text).ToList();
        text.AppendJoin("\n\n", parts);
        var images = fresh.SelectMany(m => m.ImageUrls).ToList();
        var files = fresh.SelectMany(m => m.FileRefs).ToList();
        return new Folded(text.ToString(), images, files);
    }

    /// <summary>Turns as (speaker, text); a run of tool results is one user turn of &lt;tool_response&gt; blocks, as Qwen's template has it.</summary>
    private static IEnumerable<(string Role, string Text)> Transcript(List<ChatMessage> turns, List<ToolCall> calls, bool markAttachments)
    {
        for (var i = 0; i < turns.Count; i++)
        {
            var turn = turns[i];
            if (turn.Role == ChatMessage.Tool)
            {
                var run = turns.Skip(i).TakeWhile(t => t.Role == ChatMessage.Tool).ToList();
                i += run.Count - 1;
                var results = ToolPrompt.Named(run.Select(t => new ToolResult(t.ToolCallId, t.ToolName, t.Text)), calls);
                yield return ("User", ToolPrompt.ResponseBlocks(results));
                continue;
            }

            var text = new StringBuilder(turn.Text);
            if (markAttachments)
            {
                Attachments(text, turn);
            }

            if (turn.ToolCalls.Count > 0)
            {
                text.Append(text.Length > 0 ? "\n" : "").Append(ToolPrompt.CallBlocks(turn.ToolCalls));
            }

            yield return (turn.Role == ChatMessage.Assistant ? "Assistant" : "User", text.ToString());
        }
    }

    private static void Attachments(StringBuilder text, ChatMessage turn)
    {
        if (turn.ImageUrls.Count > 0)
        {
            text.Append(" [").Append(turn.ImageUrls.Count).Append(" image(s)]");
        }

        if (turn.FileRefs.Count > 0)
        {
            text.Append(" [").Append(turn.FileRefs.Count).Append(" file(s)]");
        }
    }
}
