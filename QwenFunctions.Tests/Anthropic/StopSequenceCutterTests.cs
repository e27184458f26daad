using QwenFunctions.Anthropic;

namespace QwenFunctions.Tests.Anthropic;

public sealed class StopSequenceCutterTests
{
    [Fact]
    public void Push_PossibleStartOfSequence_IsHeldBackThenReleasedWhenItIsNot()
    {
        var cutter = new StopSequenceCutter(["</answer>"]);

        var first = cutter.Push("value </ans");
        var second = cutter.Push("wer2");

        Assert.Equal("value ", first);
        Assert.Equal("</answer2", second);
        Assert.Null(cutter.Hit);
    }

    [Fact]
    public void Push_EarliestOfSeveralSequences_Wins()
    {
        var cutter = new StopSequenceCutter(["BB", "A"]);

        var text = cutter.Push("xxBBxA");

        Assert.Equal("xx", text);
        Assert.Equal("BB", cutter.Hit);
        Assert.Equal("", cutter.Push("more"));
        Assert.Equal("", cutter.Flush());
    }

    [Fact]
    public void Flush_HeldTailAtTheEnd_IsText()
    {
        var cutter = new StopSequenceCutter(["STOP"]);

        var sent = cutter.Push("almost ST");

        Assert.Equal("almost ", sent);
        Assert.Equal("ST", cutter.Flush());
    }

    [Fact]
    public void Push_NoSequences_PassesEverythingAtOnce()
    {
        Assert.Equal("<ab", new StopSequenceCutter([]).Push("<ab"));
    }
}
