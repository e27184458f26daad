namespace QwenFunctions.Anthropic;

/// <summary>
/// A tokenizer-free token estimate, for <c>count_tokens</c> and the input count of <c>message_start</c> (the upstream
/// reports real counts only with the answer): about four ASCII characters per token, one token per other character
/// (CJK text is close to that). Never zero for non-empty text: clients read 0 as "no context used".
/// </summary>
public static class TokenEstimate
{
    public static int Of(string text)
    {
        var ascii = 0;
        var other = 0;
        foreach (var c in text)
        {
            if (char.IsLowSurrogate(c))
            {
                continue;
            }

            if (c < 128)
            {
                ascii++;
            }
            else
            {
                other++;
            }
        }

        return (ascii + 3) / 4 + other;
    }
}
