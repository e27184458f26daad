namespace QwenFunctions.Anthropic;

/// <summary>
/// A tokenizer-free token estimate, for <c>count_tokens</c>, the input count of <c>message_start</c> (the upstream
/// reports real counts only with the answer) and the <c>max_tokens</c> emulation: about four ASCII characters per
/// token, one token per other character (CJK text is close to that). Never zero for non-empty text: clients read 0
/// as "no context used".
/// </summary>
public static class TokenEstimate
{
    public static int Of(string text)
    {
        var counter = new Counter();
        counter.Add(text);
        return counter.Tokens;
    }

    /// <summary>A running count over text sent so far.</summary>
    public sealed class Counter
    {
        private int _ascii;
        private int _other;

        public int Tokens => (_ascii + 3) / 4 + _other;

        public void Add(string text) => Take(text, int.MaxValue);

        /// <summary>Counts and returns the longest start of <paramref name="text"/> that keeps <see cref="Tokens"/> within <paramref name="limit"/>.</summary>
        public string Take(string text, int limit)
        {
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (char.IsLowSurrogate(c))
                {
                    continue; // counted with its high surrogate
                }

                var ascii = _ascii + (c < 128 ? 1 : 0);
                var other = _other + (c < 128 ? 0 : 1);
                if ((ascii + 3) / 4 + other > limit)
                {
                    return text[..i];
                }

                (_ascii, _other) = (ascii, other);
            }

            return text;
        }
    }
}
