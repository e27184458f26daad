using System.Text;

namespace QwenFunctions.Chat.Tools;

/// <summary>
/// Finds tool calls in answer text as it streams (answer text only: never reasoning). Text outside calls is passed
/// on at once; only what could still become a &lt;tool_call&gt; tag (a tag prefix at the end, whitespace that would
/// sit between calls, half of a surrogate pair) is held back. A block is buffered until &lt;/tool_call&gt; and then
/// becomes a call, or, when it is not a valid call, comes back verbatim as text. Works on decoded text, so a tag or
/// a character split across deltas still matches. One instance per answer.
/// </summary>
public sealed class ToolCallStreamParser(ToolSet tools, Func<string>? newId = null)
{
    private readonly Func<string> _newId = newId ?? ToolCall.NewId;
    private readonly StringBuilder _pending = new();
    private readonly List<ToolCall> _calls = [];
    private bool _inBlock;
    private string _blockLead = "";
    private bool _afterCall;
    private bool _finished;

    /// <summary>The calls completed so far, in order.</summary>
    public IReadOnlyList<ToolCall> Calls => _calls;

    /// <summary>Feeds one answer delta; returns what can be sent now.</summary>
    public IReadOnlyList<ToolStreamEvent> Push(string delta)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _pending.Append(delta);
        var events = new List<ToolStreamEvent>();
        Drain(events);
        return events;
    }

    /// <summary>The answer ended: releases what was held back, and reads an unclosed last block the way vLLM does.</summary>
    public IReadOnlyList<ToolStreamEvent> Finish()
    {
        var events = new List<ToolStreamEvent>();
        if (_finished)
        {
            return events;
        }

        _finished = true;
        var rest = _pending.ToString();
        _pending.Clear();
        if (_inBlock)
        {
            EmitBlock(rest, closed: false, events);
        }
        else
        {
            // Whitespace after the last call is trimmed; any other tail is text.
            AddText(_calls.Count == 0 ? rest : rest.TrimEnd(), events);
        }

        return events;
    }

    /// <summary>A whole answer at once: its text without the calls, and the calls.</summary>
    public static (string Text, IReadOnlyList<ToolCall> Calls) ParseWhole(string answer, ToolSet tools)
    {
        var parser = new ToolCallStreamParser(tools);
        var text = new StringBuilder();
        foreach (var ev in parser.Push(answer).Concat(parser.Finish()))
        {
            if (ev is ToolTextDelta t)
            {
                text.Append(t.Text);
            }
        }

        return (text.ToString(), parser.Calls);
    }

    private void Drain(List<ToolStreamEvent> events)
    {
        while (true)
        {
            var buffered = _pending.ToString();
            if (_inBlock)
            {
                var close = buffered.IndexOf(ToolPrompt.CallClose, StringComparison.Ordinal);
                if (close < 0)
                {
                    return;
                }

                _pending.Clear().Append(buffered, close + ToolPrompt.CallClose.Length, buffered.Length - close - ToolPrompt.CallClose.Length);
                _inBlock = false;
                EmitBlock(buffered[..close], closed: true, events);
                continue;
            }

            var open = buffered.IndexOf(ToolPrompt.CallOpen, StringComparison.Ordinal);
            if (open >= 0)
            {
                // Whitespace between the text and the tag (or between two calls) is layout, not content, unless the
                // block turns out not to be a call.
                var before = buffered[..open];
                var text = before.TrimEnd();
                AddText(text, events);
                _blockLead = before[text.Length..];
                _pending.Clear().Append(buffered, open + ToolPrompt.CallOpen.Length, buffered.Length - open - ToolPrompt.CallOpen.Length);
                _inBlock = true;
                continue;
            }

            var sendable = buffered.Length - HeldBack(buffered);
            if (sendable > 0)
            {
                AddText(buffered[..sendable], events);
                _pending.Remove(0, sendable);
            }

            return;
        }
    }

    /// <summary>How many characters at the end must wait: a possible tag start, the whitespace before it, a lone high surrogate.</summary>
    private static int HeldBack(string text)
    {
        var held = 0;
        for (var length = Math.Min(text.Length, ToolPrompt.CallOpen.Length - 1); length > 0; length--)
        {
            if (ToolPrompt.CallOpen.AsSpan(0, length).SequenceEqual(text.AsSpan(text.Length - length)))
            {
                held = length;
                break;
            }
        }

        if (held == 0 && text.Length > 0 && char.IsHighSurrogate(text[^1]))
        {
            held = 1;
        }

        while (held < text.Length && char.IsWhiteSpace(text[text.Length - held - 1]))
        {
            held++;
        }

        return held;
    }

    private void EmitBlock(string body, bool closed, List<ToolStreamEvent> events)
    {
        var parsed = ToolCallBlockParser.Parse(body, tools);
        if (parsed is null)
        {
            AddText(_blockLead + ToolPrompt.CallOpen + body + (closed ? ToolPrompt.CallClose : ""), events);
            return;
        }

        _afterCall = true;

        foreach (var (name, arguments, kind) in parsed)
        {
            if (!tools.ParallelCalls && _calls.Count > 0)
            {
                return; // parallel_tool_calls: false keeps the first call only
            }

            var call = new ToolCall(_newId(), name, arguments, kind);
            var index = _calls.Count;
            _calls.Add(call);
            events.Add(new ToolCallStarted(index, call.Id, name, kind));
            events.Add(new ToolCallArgumentsDelta(index, arguments));
            events.Add(new ToolCallCompleted(index, call));
        }
    }

    private void AddText(string text, List<ToolStreamEvent> events)
    {
        if (_afterCall)
        {
            // Text after a call starts at its first visible character, like the whitespace between calls.
            text = text.TrimStart();
            _afterCall = text.Length == 0;
        }

        if (text.Length > 0)
        {
            events.Add(new ToolTextDelta(text));
        }
    }
}
