using QwenFunctions.Chat;
using QwenFunctions.Chat.Tools;

namespace QwenFunctions.Anthropic;

/// <summary>
/// A Messages API conversation in the chat pipeline's neutral terms. Anthropic puts tool results inside user
/// messages; the pipeline has them as tool messages (one per result, in order, named after the call they answer),
/// followed by whatever else the user wrote. Thinking is dropped: the upstream never sees its own reasoning again.
/// </summary>
public static class MessagesConversation
{
    /// <summary>Flat token estimate for one image or document attachment (the upstream reports real counts only with the answer).</summary>
    public const int AttachmentTokens = 1000;

    public static IReadOnlyList<ChatMessage> Messages(MessagesCall call)
    {
        var messages = new List<ChatMessage>();
        if (call.System.Length > 0)
        {
            messages.Add(new ChatMessage(ChatMessage.System, call.System, [], []));
        }

        var callNames = call.Messages.SelectMany(m => m.Blocks).OfType<ToolUseInput>()
            .GroupBy(u => u.Id).ToDictionary(g => g.Key, g => g.Last().Name);
        foreach (var turn in call.Messages)
        {
            if (turn.Role == AnthropicTurn.Assistant)
            {
                AddAssistant(messages, turn);
            }
            else
            {
                AddUser(messages, turn, callNames);
            }
        }

        return messages;
    }

    public static ToolSet Tools(MessagesCall call)
    {
        var choice = call.ToolChoice.Type switch
        {
            ToolChoiceType.Any => ToolChoice.Required,
            ToolChoiceType.Tool => ToolChoice.Named(call.ToolChoice.Name!),
            ToolChoiceType.None => ToolChoice.None,
            _ => ToolChoice.Auto,
        };
        return new ToolSet([.. call.Tools.Select(t => ToolDefinition.Function(t.Name, t.Description, t.InputSchema))], choice,
            ParallelCalls: !call.ToolChoice.DisableParallelToolUse);
    }

    /// <summary>
    /// The estimated input tokens of a call: the one upstream message it folds into, plus a flat count per attachment.
    /// count_tokens answers it, and message_start carries it until the upstream's own count arrives.
    /// </summary>
    public static int EstimateInputTokens(IReadOnlyList<ChatMessage> messages, ToolSet tools)
    {
        var folded = ConversationFolder.Fold(messages, tools);
        return TokenEstimate.Of(folded.Prompt) + AttachmentTokens * (folded.ImageUrls.Count + folded.FileRefs.Count);
    }

    private static void AddAssistant(List<ChatMessage> messages, AnthropicTurn turn)
    {
        var text = string.Join("\n", turn.Blocks.OfType<TextInput>().Select(t => t.Text));
        var calls = turn.Blocks.OfType<ToolUseInput>().Select(u => new ToolCall(u.Id, u.Name, u.InputJson)).ToList();
        if (text.Length > 0 || calls.Count > 0)
        {
            messages.Add(new ChatMessage(ChatMessage.Assistant, text, [], []) { ToolCalls = calls });
        }
    }

    private static void AddUser(List<ChatMessage> messages, AnthropicTurn turn, Dictionary<string, string> callNames)
    {
        foreach (var result in turn.Blocks.OfType<ToolResultInput>())
        {
            // is_error has no place in Qwen's <tool_response> format; the model reads it from the text.
            var text = result.IsError ? "ERROR: " + result.Text : result.Text;
            messages.Add(new ChatMessage(ChatMessage.Tool, text, result.ImageUrls, [])
            {
                ToolCallId = result.ToolUseId,
                ToolName = callNames.GetValueOrDefault(result.ToolUseId),
            });
        }

        var texts = new List<string>();
        var images = new List<string>();
        var files = new List<string>();
        foreach (var block in turn.Blocks)
        {
            switch (block)
            {
                case TextInput t:
                    texts.Add(t.Text);
                    break;
                case ImageInput i:
                    images.Add(i.Url);
                    break;
                case DocumentInput { Text: { } documentText } d:
                    texts.Add(d.Title is { Length: > 0 } title ? $"{title}:\n{documentText}" : documentText);
                    break;
                case DocumentInput { FileRef: { } file }:
                    files.Add(file);
                    break;
            }
        }

        if (texts.Count > 0 || images.Count > 0 || files.Count > 0)
        {
            messages.Add(new ChatMessage(ChatMessage.User, string.Join("\n\n", texts), images, files));
        }
    }
}
