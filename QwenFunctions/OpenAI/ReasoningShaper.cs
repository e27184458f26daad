using QwenFunctions.Configuration;

namespace QwenFunctions.OpenAI;

/// <summary>Places streamed reasoning per <see cref="ReasoningOutput"/>: its own delta field, inline &lt;think&gt; tags, or nowhere.</summary>
public sealed class ReasoningShaper(ReasoningOutput mode)
{
    private bool _thinkOpen;

    /// <summary>(delta field, text) to send for a piece of reasoning, or null to drop it.</summary>
    public (string Field, string Text)? Reasoning(string text)
    {
        switch (mode)
        {
            case ReasoningOutput.ReasoningContent:
                return ("reasoning_content", text);
            case ReasoningOutput.ThinkTags:
                var prefix = _thinkOpen ? "" : "<think>\n";
                _thinkOpen = true;
                return ("content", prefix + text);
            default:
                return null;
        }
    }

    public (string Field, string Text) Answer(string text) => ("content", Close() + text);

    /// <summary>Text that closes an open &lt;think&gt; block at the end of the answer, or "".</summary>
    public string Close()
    {
        if (!_thinkOpen)
        {
            return "";
        }

        _thinkOpen = false;
        return "\n</think>\n\n";
    }
}
