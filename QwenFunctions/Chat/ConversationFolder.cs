using System.Text;
using QwenFunctions.Http;

namespace QwenFunctions.Chat;

/// <summary>
/// The v2 upstream keeps history server-side and takes one new message per turn, while stateless clients resend the
/// whole conversation. This folds it into that one message: system text in &lt;system-instructions&gt;, earlier
/// turns as a transcript, the last user message at the end. Tool calls and results are folded here too (the one place
/// the tool prompt builder plugs in).
/// </summary>
public static class ConversationFolder
{
    public static ChatPrompt Fold(IReadOnlyList<ChatMessage> messages)
    {
        var system = messages.Where(m => m.Role == ChatMessage.System && m.Text.Length > 0).Select(m => m.Text).ToList();
        var turns = messages.Where(m => m.Role != ChatMessage.System).ToList();
        if (turns.Count == 0 || turns[^1].Role is not (ChatMessage.User or ChatMessage.Tool))
        {
            throw ApiException.BadRequest("The last message must be a user (or tool) message.", "messages");
        }

        var last = turns[^1];
        var text = new StringBuilder();
        if (system.Count > 0)
        {
            text.Append("<system-instructions>\n").AppendJoin("\n\n", system).Append("\n</system-instructions>\n\n");
        }

        if (turns.Count > 1)
        {
            text.Append("<conversation-history>\n");
            foreach (var turn in turns.Take(turns.Count - 1))
            {
                text.Append(Label(turn.Role)).Append(": ").Append(turn.Text);
                if (turn.ImageUrls.Count > 0)
                {
                    text.Append(" [").Append(turn.ImageUrls.Count).Append(" image(s)]");
                }

                if (turn.FileRefs.Count > 0)
                {
                    text.Append(" [").Append(turn.FileRefs.Count).Append(" file(s)]");
                }

                text.Append("\n\n");
            }

            text.Append("</conversation-history>\n\n");
        }

        text.Append(last.Role == ChatMessage.Tool ? "Tool result: " + last.Text : last.Text);
        return new ChatPrompt(text.ToString(), last.ImageUrls, last.FileRefs);
    }

    private static string Label(string role) => role switch
    {
        ChatMessage.User => "User",
        ChatMessage.Assistant => "Assistant",
        ChatMessage.Tool => "Tool result",
        _ => role,
    };
}
