using System.Text;
using System.Text.Json;

namespace QwenFunctions.Anthropic;

/// <summary>One content block of an answer, as it stands (complete once its block was stopped).</summary>
public abstract class ContentBlock
{
    public int Index { get; init; }
}

/// <summary>A block whose text arrives in deltas (thinking, text).</summary>
public abstract class StreamedBlock : ContentBlock
{
    /// <summary>Adds a piece of the block's text; returns the delta frame that carries it.</summary>
    internal abstract BlockFrame Append(string text);
}

public sealed class ThinkingBlock : StreamedBlock
{
    public StringBuilder Thinking { get; } = new();

    public string Signature { get; set; } = "";

    internal override BlockFrame Append(string text)
    {
        Thinking.Append(text);
        return new ThinkingDelta(Index, text);
    }
}

public sealed class TextBlock : StreamedBlock
{
    public StringBuilder Text { get; } = new();

    internal override BlockFrame Append(string text)
    {
        Text.Append(text);
        return new TextDelta(Index, text);
    }
}

public sealed class ToolUseBlock : ContentBlock
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary>Compact JSON of an object, set when the call completed.</summary>
    public string InputJson { get; set; } = "{}";
}

/// <summary>What changed in the answer: one streaming event each.</summary>
public abstract record BlockFrame(int Index);

public sealed record BlockStarted(ContentBlock Block) : BlockFrame(Block.Index);

public sealed record TextDelta(int Index, string Text) : BlockFrame(Index);

public sealed record ThinkingDelta(int Index, string Thinking) : BlockFrame(Index);

public sealed record SignatureDelta(int Index, string Signature) : BlockFrame(Index);

public sealed record InputJsonDelta(int Index, string PartialJson) : BlockFrame(Index);

public sealed record BlockStopped(int Index) : BlockFrame(Index);

/// <summary>
/// Turns the surface-neutral events of one answer into Anthropic content blocks, opened, filled and closed strictly
/// in order (index 0, 1, …), for the stream and the whole message alike. A block's type is decided by the content
/// that opens it, and a block is opened only by non-empty content, so a stream never carries an empty text block,
/// a thinking delta in a text block, or a delta for a block that was not started. Emulates <c>stop_sequences</c> on
/// the text and <c>max_tokens</c> on thinking and text (counted with <see cref="TokenEstimate"/>, since the upstream
/// has no such limit); once either ends the answer, <see cref="Ended"/> is true and further content is ignored.
/// </summary>
public sealed class MessageAssembler(ThinkingSignature signatures, IReadOnlyList<string> stopSequences, int? maxTokens)
{
    private readonly List<ContentBlock> _blocks = [];
    private readonly StopSequenceCutter _stops = new(stopSequences);
    private readonly StringBuilder _arguments = new();
    private readonly TokenEstimate.Counter _output = new();
    private ContentBlock? _open;
    private bool _cut;

    public IReadOnlyList<ContentBlock> Content => _blocks;

    /// <summary>The answer is complete (or a stop sequence or max_tokens ended it early: stop reading the upstream).</summary>
    public bool Ended => StopReason is not null;

    public string? StopReason { get; private set; }

    public string? StopSequence { get; private set; }

    /// <summary>The upstream's running totals, or null while it reported none.</summary>
    public AnswerUsage? UpstreamUsage { get; set; }

    public IReadOnlyList<BlockFrame> Reasoning(string text)
    {
        var frames = new List<BlockFrame>();
        AppendWithinBudget<ThinkingBlock>(text, frames);
        return frames;
    }

    public IReadOnlyList<BlockFrame> Text(string text)
    {
        var frames = new List<BlockFrame>();
        if (!Ended)
        {
            AppendText(_stops.Push(text), frames);
            if (!Ended && _stops.Hit is { } hit)
            {
                End("stop_sequence", frames);
                StopSequence = hit;
            }
        }

        return frames;
    }

    public IReadOnlyList<BlockFrame> ToolCallStarted(string? callId, string name)
    {
        var frames = new List<BlockFrame>();
        if (Ended)
        {
            return frames;
        }

        FlushText(frames);
        if (!Ended)
        {
            _arguments.Clear();
            Open(new ToolUseBlock { Index = _blocks.Count, Id = AnthropicIds.ToolUse(callId), Name = name }, frames);
        }

        return frames;
    }

    /// <summary>Argument fragments are kept until the call completes: the whole JSON in one delta is a valid prefix for every client.</summary>
    public void ToolCallArguments(string fragment)
    {
        if (!Ended && _open is ToolUseBlock)
        {
            _arguments.Append(fragment);
        }
    }

    /// <param name="argumentsJson">The call's final arguments; null: the fragments received.</param>
    public IReadOnlyList<BlockFrame> ToolCallCompleted(string? argumentsJson = null)
    {
        var frames = new List<BlockFrame>();
        if (Ended || _open is not ToolUseBlock block)
        {
            return frames;
        }

        // A call's input is never cut (half a JSON object is no call), so it counts but may pass max_tokens.
        block.InputJson = CompactObject(argumentsJson ?? _arguments.ToString());
        _output.Add(block.Name + block.InputJson);
        frames.Add(new InputJsonDelta(block.Index, block.InputJson));
        Close(frames);
        return frames;
    }

    /// <summary>The upstream finished; <paramref name="truncated"/>: it stopped at a length limit of its own.</summary>
    public IReadOnlyList<BlockFrame> Finish(bool truncated = false)
    {
        var frames = new List<BlockFrame>();
        FlushText(frames);
        if (!Ended)
        {
            // A tool call left open (the upstream ended inside it) is closed with the input it has: {}.
            End(truncated ? "max_tokens" : _blocks.Any(b => b is ToolUseBlock) ? "tool_use" : "end_turn", frames);
        }

        return frames;
    }

    /// <summary>
    /// The usage to report: the upstream's counts, except that an answer this app cut short reports what it sent;
    /// estimates where the upstream reported nothing.
    /// </summary>
    public AnswerUsage FinalUsage(int inputTokensEstimate)
    {
        var upstream = UpstreamUsage;
        var output = _cut || upstream is null ? _output.Tokens : upstream.OutputTokens;
        return upstream is null
            ? new AnswerUsage(inputTokensEstimate, output, 0)
            : upstream with { OutputTokens = output };
    }

    /// <summary>tool_use.input must be an object; the tool-call parser only completes calls whose arguments are one.</summary>
    private static string CompactObject(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.Trim().Length == 0 ? "{}" : json);
            return document.RootElement.ValueKind == JsonValueKind.Object ? JsonSerializer.Serialize(document.RootElement) : "{}";
        }
        catch (JsonException)
        {
            return "{}";
        }
    }

    /// <summary>The longest start of <paramref name="text"/> that keeps the output within max_tokens (counted as sent).</summary>
    private string WithinBudget(string text)
    {
        if (maxTokens is not { } max)
        {
            _output.Add(text);
            return text;
        }

        var fitting = _output.Take(text, max);
        _cut |= fitting.Length < text.Length;
        return fitting;
    }

    private void FlushText(List<BlockFrame> frames) => AppendText(_stops.Flush(), frames);

    private void AppendText(string text, List<BlockFrame> frames) => AppendWithinBudget<TextBlock>(text, frames);

    /// <summary>
    /// What fits the token budget goes into the open block of kind <typeparamref name="T"/> (opened first when another
    /// kind is open); text past the budget ends the message at max_tokens.
    /// </summary>
    private void AppendWithinBudget<T>(string text, List<BlockFrame> frames) where T : StreamedBlock, new()
    {
        if (text.Length == 0 || Ended)
        {
            return;
        }

        var fitting = WithinBudget(text);
        if (fitting.Length > 0)
        {
            var block = _open as T ?? Open(new T { Index = _blocks.Count }, frames);
            frames.Add(block.Append(fitting));
        }

        if (fitting.Length < text.Length)
        {
            End("max_tokens", frames);
        }
    }

    private T Open<T>(T block, List<BlockFrame> frames) where T : ContentBlock
    {
        Close(frames);
        _blocks.Add(block);
        _open = block;
        frames.Add(new BlockStarted(block));
        return block;
    }

    private void Close(List<BlockFrame> frames)
    {
        if (_open is null)
        {
            return;
        }

        if (_open is ThinkingBlock thinking)
        {
            // Clients require a signature on every thinking block and send it back verbatim.
            thinking.Signature = signatures.Sign(thinking.Thinking.ToString());
            frames.Add(new SignatureDelta(thinking.Index, thinking.Signature));
        }

        frames.Add(new BlockStopped(_open.Index));
        _open = null;
    }

    private void End(string reason, List<BlockFrame> frames)
    {
        Close(frames);
        _cut |= reason == "stop_sequence";
        StopReason = reason;
    }
}

/// <summary>Token counts in Anthropic's terms: <see cref="InputTokens"/> excludes the cache reads.</summary>
public sealed record AnswerUsage(int InputTokens, int OutputTokens, int CacheReadInputTokens)
{
    /// <summary>From the upstream's totals, whose input count includes the cached part.</summary>
    public static AnswerUsage FromUpstream(int input, int output, int cached) =>
        new(Math.Max(0, input - cached), output, Math.Min(cached, input));
}
