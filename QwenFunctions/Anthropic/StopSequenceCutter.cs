namespace QwenFunctions.Anthropic;

/// <summary>
/// Emulates <c>stop_sequences</c> on streamed text: text is passed on at once except for the longest tail that could
/// still become a stop sequence, and the answer ends at the first hit (the sequence itself is not part of the text).
/// </summary>
public sealed class StopSequenceCutter(IReadOnlyList<string> stopSequences)
{
    private string _held = "";

    /// <summary>The sequence that ended the text, once one did.</summary>
    public string? Hit { get; private set; }

    /// <summary>The text that may be sent now; empty while everything could still be the start of a stop sequence.</summary>
    public string Push(string text)
    {
        if (Hit is not null)
        {
            return "";
        }

        if (stopSequences.Count == 0)
        {
            return text;
        }

        var buffer = _held + text;
        var (at, sequence) = FirstHit(buffer);
        if (sequence is not null)
        {
            Hit = sequence;
            _held = "";
            return buffer[..at];
        }

        var keep = LongestPrefixTail(buffer);
        _held = buffer[^keep..];
        return buffer[..^keep];
    }

    /// <summary>The end of the answer: whatever was held back is plain text after all.</summary>
    public string Flush()
    {
        var rest = _held;
        _held = "";
        return Hit is null ? rest : "";
    }

    private (int At, string? Sequence) FirstHit(string buffer)
    {
        var best = (At: int.MaxValue, Sequence: (string?)null);
        foreach (var sequence in stopSequences)
        {
            var at = buffer.IndexOf(sequence, StringComparison.Ordinal);
            if (at >= 0 && at < best.At)
            {
                best = (at, sequence);
            }
        }

        return best;
    }

    /// <summary>Length of the longest tail of <paramref name="buffer"/> that is a proper prefix of a stop sequence.</summary>
    private int LongestPrefixTail(string buffer)
    {
        var longest = 0;
        foreach (var sequence in stopSequences)
        {
            for (var length = Math.Min(sequence.Length - 1, buffer.Length); length > longest; length--)
            {
                if (buffer.AsSpan(buffer.Length - length).SequenceEqual(sequence.AsSpan(0, length)))
                {
                    longest = length;
                    break;
                }
            }
        }

        return longest;
    }
}
