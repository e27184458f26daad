using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace QwenFunctions.Upstream;

/// <summary>
/// Turns the data of one upstream SSE event into typed events. Stateful per stream: thinking summaries arrive as
/// cumulative snapshots and only their new parts are emitted; the answer ends on status finished + phase answer
/// (or image_gen), not on the first "finished" (thinking_summary finishes first).
/// </summary>
public sealed class QwenStreamInterpreter
{
    // Below this length an incremental delta that happens to start with the text so far is legitimate text.
    private const int CumulativeGuardMinLength = 32;

    private readonly List<string> _titles = [];
    private readonly List<string> _thoughts = [];
    private readonly HashSet<string> _searchUrls = new(StringComparer.Ordinal);

    // Some 2026 streams carry two answers (response_index 0 and 1), interleaved; only the first is the answer.
    private readonly HashSet<string> _otherAnswerIds = new(StringComparer.Ordinal);
    private readonly System.Text.StringBuilder _answer = new();
    private QwenUsage? _lastUsage;

    /// <summary>True once any answer, reasoning or image content has been seen.</summary>
    public bool SawContent { get; private set; }

    /// <summary>One event's data as text (tests, and event bytes that were not valid UTF-8, decoded with replacement characters).</summary>
    public IEnumerable<QwenStreamEvent> Interpret(string data) => Interpret(Encoding.UTF8.GetBytes(data));

    /// <summary>One event's data, as UTF-8 bytes the way the SSE parser reads them: no string per event.</summary>
    public IEnumerable<QwenStreamEvent> Interpret(ReadOnlyMemory<byte> data)
    {
        if (data.Span.StartsWith("[DONE]"u8))
        {
            return Done();
        }

        if (!Utf8.IsValid(data.Span))
        {
            // Read as the text it decodes to, with replacement characters: a broken byte never fails the stream.
            return Interpret(Encoding.UTF8.GetString(data.Span));
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(data);
        }
        catch (JsonException)
        {
            return []; // A malformed chunk is skipped: nothing non-JSON may reach the client.
        }

        using (doc)
        {
            return Interpret(doc.RootElement);
        }
    }

    private QwenAnswerFinished[] Done() => SawContent
        ? [new QwenAnswerFinished("done")]
        : throw new QwenUpstreamException(UpstreamErrorKind.EmptyStream, "The upstream stream ended without an answer.");

    private List<QwenStreamEvent> Interpret(JsonElement root)
    {
        var events = new List<QwenStreamEvent>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            return events;
        }

        if (root.TryGetProperty("response.created", out var created))
        {
            if (IsOtherAnswer(created))
            {
                if (Str(created, "response_id") is { } otherId)
                {
                    _otherAnswerIds.Add(otherId);
                }

                return events;
            }

            events.Add(new QwenResponseCreated(Str(created, "response_id") ?? "", Str(created, "chat_id"), Str(created, "parent_id")));
            return events;
        }

        if (root.TryGetProperty("response.info", out _))
        {
            events.Add(new QwenKeepAlive());
            return events;
        }

        if (IsOtherAnswer(root))
        {
            return events;
        }

        if (!root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
        {
            if (UpstreamErrorClassifier.ClassifyJson(root) is { } error)
            {
                throw error;
            }

            if (Str(root, "response_id") is { } bareId)
            {
                events.Add(new QwenResponseCreated(bareId, null, null));
            }

            return events;
        }

        if (root.TryGetProperty("usage", out var usage) && ReadUsage(usage) is { } u && u != _lastUsage)
        {
            _lastUsage = u;
            events.Add(u);
        }

        foreach (var choice in choices.EnumerateArray())
        {
            if (!choice.TryGetProperty("delta", out var delta) || delta.ValueKind != JsonValueKind.Object || IsOtherAnswer(choice))
            {
                continue;
            }

            InterpretDelta(delta, events);
        }

        return events;
    }

    private void InterpretDelta(JsonElement delta, List<QwenStreamEvent> events)
    {
        var phase = Known(delta, "phase", Phases);
        var content = Str(delta, "content") ?? "";
        var status = Known(delta, "status", Statuses);
        switch (phase)
        {
            case "answer" or null when content.Length > 0:
                var text = TrimCumulative(content);
                if (text.Length > 0)
                {
                    _answer.Append(text);
                    SawContent = true;
                    events.Add(new QwenAnswerDelta(text));
                }

                break;
            case "think" when content.Length > 0:
                SawContent = true;
                events.Add(new QwenReasoningDelta(content));
                break;
            case "thinking_summary" when delta.TryGetProperty("extra", out var extra):
                var fresh = NewItems(extra, "summary_title", _titles) + NewItems(extra, "summary_thought", _thoughts);
                if (fresh.Length > 0)
                {
                    SawContent = true;
                    events.Add(new QwenReasoningDelta(fresh));
                }

                break;
            case "web_search" when delta.TryGetProperty("extra", out var searchExtra):
                // Server-side search results belong with the reasoning: they explain the answer, they are not it.
                var sources = NewSearchResults(searchExtra);
                if (sources.Length > 0)
                {
                    events.Add(new QwenReasoningDelta(sources));
                }

                break;
            case "image_gen" when content.StartsWith("http", StringComparison.OrdinalIgnoreCase):
                SawContent = true;
                var (height, width) = ImageSize(delta);
                events.Add(new QwenImageGenerated(content, width, height));
                break;
        }

        if (status == "finished" && phase is "answer" or "image_gen")
        {
            if (!SawContent && phase == "answer")
            {
                throw new QwenUpstreamException(UpstreamErrorKind.EmptyStream, "The upstream finished without any answer text.");
            }

            events.Add(new QwenAnswerFinished(phase));
        }
    }

    /// <summary>True for an event of an answer other than index 0 (tagged by index, or by the id its created event gave).</summary>
    private bool IsOtherAnswer(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        if (e.TryGetProperty("response_index", out var index))
        {
            var value = index.ValueKind switch
            {
                JsonValueKind.Number => index.TryGetInt32(out var n) ? n : -1,
                JsonValueKind.String => int.TryParse(index.GetString(), out var n) ? n : -1,
                _ => 0,
            };
            return value != 0;
        }

        return Str(e, "response_id") is { } id && _otherAnswerIds.Contains(id);
    }

    private string TrimCumulative(string piece)
    {
        // Compared in place: copying the answer so far on every delta made a long answer cost the square of its length.
        var sofar = _answer.Length;
        return sofar >= CumulativeGuardMinLength && piece.Length > sofar && _answer.Equals(piece.AsSpan(0, sofar))
            ? piece[sofar..]
            : piece;
    }

    private static string NewItems(JsonElement extra, string name, List<string> emitted)
    {
        if (!extra.TryGetProperty(name, out var holder) || !holder.TryGetProperty("content", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            return "";
        }

        var fresh = new System.Text.StringBuilder();
        var i = 0;
        foreach (var item in items.EnumerateArray())
        {
            var value = item.ValueKind == JsonValueKind.String ? item.GetString() ?? "" : "";
            if (i >= emitted.Count)
            {
                emitted.Add(value);
                fresh.Append(value).Append('\n');
            }
            else if (value.Length > emitted[i].Length && value.StartsWith(emitted[i], StringComparison.Ordinal))
            {
                // The last item of a snapshot may still be growing.
                fresh.Append(value[emitted[i].Length..]);
                emitted[i] = value;
            }

            i++;
        }

        return fresh.ToString();
    }

    private string NewSearchResults(JsonElement extra)
    {
        if (!extra.TryGetProperty("web_search_info", out var results) || results.ValueKind != JsonValueKind.Array)
        {
            return "";
        }

        var text = new System.Text.StringBuilder();
        foreach (var result in results.EnumerateArray())
        {
            if (Str(result, "url") is { Length: > 0 } url && _searchUrls.Add(url))
            {
                text.Append("Source: ").Append(Str(result, "title") ?? url).Append(" <").Append(url).Append(">\n");
            }
        }

        return text.ToString();
    }

    private static (int? Height, int? Width) ImageSize(JsonElement delta)
    {
        if (delta.TryGetProperty("extra", out var extra) && extra.TryGetProperty("output_image_hw", out var hw)
            && hw.ValueKind == JsonValueKind.Array && hw.GetArrayLength() > 0 && hw[0].ValueKind == JsonValueKind.Array && hw[0].GetArrayLength() == 2)
        {
            return (hw[0][0].TryGetInt32(out var h) ? h : null, hw[0][1].TryGetInt32(out var w) ? w : null);
        }

        return (null, null);
    }

    private static QwenUsage? ReadUsage(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var input = Int(usage, "input_tokens") ?? Int(usage, "prompt_tokens") ?? 0;
        var output = Int(usage, "output_tokens") ?? Int(usage, "completion_tokens") ?? 0;
        var total = Int(usage, "total_tokens") ?? input + output;
        var reasoning = usage.TryGetProperty("output_tokens_details", out var od) ? Int(od, "reasoning_tokens") ?? 0 : 0;
        var cached = usage.TryGetProperty("prompt_tokens_details", out var pd) ? Int(pd, "cached_tokens") ?? 0 : 0;
        return new QwenUsage(input, output, total, reasoning, cached);
    }

    private static int? Int(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : null;

    // Every delta names its phase and status: the known values are matched in place instead of read into new strings.
    private static readonly string[] Phases = ["answer", "think", "thinking_summary", "web_search", "image_gen"];
    private static readonly string[] Statuses = ["typing", "finished"];

    private static string? Known(JsonElement e, string name, string[] known)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        foreach (var value in known)
        {
            if (v.ValueEquals(value))
            {
                return value;
            }
        }

        return v.GetString();
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
