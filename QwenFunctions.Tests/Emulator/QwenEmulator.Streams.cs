using System.Globalization;
using System.Text.Json.Nodes;

namespace QwenFunctions.Tests.Emulator;

// The SSE streams of §6.4: text (optional thinking summaries, answer deltas with growing usage) and t2i / image_edit.
public sealed partial class QwenEmulator
{
    private async Task StreamTextAsync(Turn t)
    {
        var r = t.Request;
        var assistant = AddAssistant(t);
        var scripted = Script.TryTake(out var script) ? script : null;
        var pieces = scripted?.Deltas ?? Split(AnswerFor(t), Options.AnswerDeltaCount);
        var gate = TakeGate(r.Token);
        var usage = new Usage(Math.Max(1, (t.User.Content.Length + 3) / 4));
        await StreamAsync(t, async () =>
        {
            await StartStreamAsync(t, Options.KeepAliveEvents);
            if (t.Thinking) await ThinkAsync(t, assistant, usage, scripted?.Thoughts);
            if (await FaultAfterAsync(t, 0)) return;
            var shape = r.Fault?.Kind;
            var other = shape == FaultKind.DualAnswerStream ? await StartOtherAnswerAsync(t) : null;
            var otherPieces = other is null ? [] : Split("Alternative: " + t.User.Content, Options.AnswerDeltaCount);
            var sent = 0;
            foreach (var piece in pieces)
            {
                usage.Output += Math.Max(1, (piece.Length + 3) / 4);
                if (other is not null && sent < otherPieces.Count)
                    await r.WriteEventAsync(Tagged(Delta(other, "answer", otherPieces[sent], null, usage.ToJson()), 1));
                if (shape == FaultKind.UnknownPhases) await WriteUnknownPhasesAsync(t, sent);
                var delta = Delta(t.ResponseId, "answer", piece, null, usage.ToJson());
                await r.WriteEventAsync(other is null ? delta : Tagged(delta, 0));
                assistant.Content += piece;
                if (++sent == 1) await HoldAtGateAsync(t, gate);
                if (await FaultAfterAsync(t, sent)) return;
            }
            if (other is not null) await r.WriteEventAsync(Tagged(Finished(other, "answer"), 1));
            await FinishAsync(t, assistant, "answer");
        });
    }

    /// <summary>The second answer of a dual stream: its created event (response_index 1) comes before the first's deltas.</summary>
    private static async Task<string> StartOtherAnswerAsync(Turn t)
    {
        var otherId = Guid.NewGuid().ToString();
        var created = FaultResponder.Created(t.Chat.Id, t.User.Id, otherId);
        created["response.created"]!["response_index"] = "1";
        await t.Request.WriteEventAsync(created);
        return otherId;
    }

    private static async Task WriteUnknownPhasesAsync(Turn t, int sent)
    {
        string[] phases = ["tool_call", "bash", "search_result", "fetch_page", "local_tool"];
        var phase = phases[sent % phases.Length];
        await t.Request.WriteEventAsync(Delta(t.ResponseId, phase, $"[{phase} output]", null, null));
        var ended = Finished(t.ResponseId, phase);
        ended["choices"]![0]!["delta"]!["status"] = sent % 2 == 0 ? "finished" : "error";
        await t.Request.WriteEventAsync(ended);
    }

    private static JsonObject Tagged(JsonObject json, int responseIndex)
    {
        json["response_index"] = responseIndex;
        return json;
    }

    private async Task StreamImagesAsync(Turn t)
    {
        var r = t.Request;
        var assistant = AddAssistant(t);
        var gate = TakeGate(r.Token);
        var (height, width) = PixelsOf(t.User.Size);
        var stamp = r.Now.ToUnixTimeSeconds();
        var urls = Enumerable.Range(1, Math.Max(1, Options.ImageCount))
            .Select(i => new Uri(CdnBaseAddress, $"output/{t.Chat.Owner.UserId}/{t.User.ChatType}/{t.ResponseId}/{stamp}{(char)('a' + i - 1)}.png?key=emulated").ToString())
            .ToArray();
        await StreamAsync(t, async () =>
        {
            await StartStreamAsync(t, Options.ImageKeepAliveEvents);
            if (await FaultAfterAsync(t, 0)) return;
            assistant.ImageUrls = urls;
            assistant.Content = string.Join("\n", urls);
            if (Options.ImageUrlsInStream)
            {
                for (var i = 0; i < urls.Length; i++)
                {
                    var extra = new JsonObject { ["output_image_hw"] = new JsonArray(new JsonArray(height, width)) };
                    var usage = new JsonObject
                    {
                        ["input_tokens"] = 0, ["output_tokens"] = 0, ["characters"] = 0,
                        ["width"] = width, ["image_count"] = i + 1, ["height"] = height,
                    };
                    await r.WriteEventAsync(Delta(t.ResponseId, "image_gen", urls[i], extra, usage));
                    if (i == 0) await HoldAtGateAsync(t, gate);
                    if (await FaultAfterAsync(t, i + 1)) return;
                }
            }
            await FinishAsync(t, assistant, "image_gen");
        });
    }

    private async Task StreamAsync(Turn t, Func<Task> body)
    {
        try { await body(); }
        catch (OperationCanceledException) when (t.Cancellation.IsCancellationRequested && !t.Request.Aborted.IsCancellationRequested)
        {
            // Stopped through chat/completions/stop: the stream just ends.
        }
    }

    private async Task StartStreamAsync(Turn t, int keepAlives)
    {
        var r = t.Request;
        await r.BeginEventStreamAsync();
        await r.WriteEventAsync(FaultResponder.Created(t.Chat.Id, t.User.Id, t.ResponseId));
        for (var i = 0; i < keepAlives; i++)
        {
            if (Options.KeepAliveInterval > TimeSpan.Zero) await Task.Delay(Options.KeepAliveInterval, Options.TimeProvider, t.Cancellation);
            await r.WriteEventAsync(new JsonObject
            {
                ["response.info"] = new JsonObject
                {
                    ["action"] = "keep_alive", ["chat_id"] = t.Chat.Id, ["response_id"] = t.ResponseId,
                    ["timestamp"] = r.Now.ToUnixTimeSeconds(),
                },
            });
        }
    }

    private async Task ThinkAsync(Turn t, EmulatorMessage assistant, Usage usage, IReadOnlyList<string>? scripted)
    {
        var titles = new List<string>();
        var thoughts = new List<string>();
        var topic = t.User.Content.Length > 40 ? t.User.Content[..40] : t.User.Content;
        for (var k = 1; k <= (scripted?.Count ?? Math.Max(1, Options.ThinkingSummaryEvents)); k++)
        {
            titles.Add($"Step {k}");
            thoughts.Add(scripted?[k - 1] ?? $"Thought {k} about: {topic}");
            usage.Reasoning += 10;
            var extra = new JsonObject
            {
                ["summary_title"] = new JsonObject { ["content"] = new JsonArray(titles.Select(s => (JsonNode)s).ToArray()) },
                ["summary_thought"] = new JsonObject { ["content"] = new JsonArray(thoughts.Select(s => (JsonNode)s).ToArray()) },
            };
            await t.Request.WriteEventAsync(Delta(t.ResponseId, "thinking_summary", "", extra, usage.ToJson()));
        }
        assistant.Thoughts = thoughts.ToArray();
        await t.Request.WriteEventAsync(Finished(t.ResponseId, "thinking_summary"));
    }

    private async Task FinishAsync(Turn t, EmulatorMessage assistant, string phase)
    {
        await t.Request.WriteEventAsync(Finished(t.ResponseId, phase));
        assistant.Done = true;
        if (Options.SendDoneMarker) await t.Request.WriteEventAsync("[DONE]");
    }

    private static async Task HoldAtGateAsync(Turn t, StreamGate? gate)
    {
        if (gate is null) return;
        gate.SignalFirstDelta();
        await gate.WaitAsync(t.Cancellation);
    }

    /// <summary>Applies a cut, stall or malformed-event fault due after <paramref name="sent"/> content deltas.</summary>
    /// <returns>True when the stream must end here.</returns>
    private static async Task<bool> FaultAfterAsync(Turn t, int sent)
    {
        var fault = t.Request.Fault;
        if (fault is null || fault.AfterAnswerDeltas != sent) return false;
        switch (fault.Kind)
        {
            case FaultKind.CutAfterDeltas:
                await t.Request.AbortAsync();
                return true;
            case FaultKind.StallAfterDeltas:
                await Task.Delay(Timeout.Infinite, t.Cancellation);
                return true;
            case FaultKind.MalformedEventAfterDeltas:
                await t.Request.WriteEventAsync("{\"choices\":[{\"delta\":{\"content\":\"trunc");
                return false;
            default:
                return false;
        }
    }

    private EmulatorMessage AddAssistant(Turn t)
    {
        var assistant = new EmulatorMessage
        {
            Id = t.ResponseId, Role = "assistant", ParentId = t.User.Id, Model = t.User.Model,
            ChatType = t.User.ChatType, CreatedAt = t.Request.Now,
        };
        t.Chat.Add(assistant);
        return assistant;
    }

    private string AnswerFor(Turn t)
    {
        var account = t.Chat.Owner;
        var context = new AnswerContext(account.Token, t.Chat.Id, t.User.Content, t.User.Model, t.User.ChatType, t.Chat.Turns);
        return (account.Answer ?? Answer)?.Invoke(context) ?? "Echo: " + t.User.Content;
    }

    /// <summary>Splits on text-element boundaries into <paramref name="count"/> nearly equal, non-empty pieces.</summary>
    internal static IReadOnlyList<string> Split(string text, int count)
    {
        var elements = new List<string>();
        var e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext()) elements.Add(e.GetTextElement());
        var n = Math.Clamp(count, 1, Math.Max(1, elements.Count));
        var pieces = new List<string>();
        for (var i = 0; i < n; i++)
        {
            var from = elements.Count * i / n;
            var to = elements.Count * (i + 1) / n;
            pieces.Add(string.Concat(elements.GetRange(from, to - from)));
        }
        return pieces;
    }

    private static (int Height, int Width) PixelsOf(string? size) => size switch
    {
        "16:9" => (1536, 2688),
        "9:16" => (2688, 1536),
        "4:3" => (1536, 2048),
        "3:4" => (2048, 1536),
        _ => (1328, 1328),
    };

    private static JsonObject Delta(string responseId, string phase, string content, JsonObject? extra, JsonObject? usage)
    {
        var delta = new JsonObject { ["role"] = "assistant", ["content"] = content, ["phase"] = phase };
        if (extra is not null) delta["extra"] = extra;
        delta["status"] = "typing";
        var json = new JsonObject { ["choices"] = new JsonArray(new JsonObject { ["delta"] = delta }), ["response_id"] = responseId };
        if (usage is not null) json["usage"] = usage;
        return json;
    }

    private static JsonObject Finished(string responseId, string phase) => new()
    {
        ["choices"] = new JsonArray(new JsonObject
        {
            ["delta"] = new JsonObject { ["content"] = "", ["role"] = "assistant", ["status"] = "finished", ["phase"] = phase },
        }),
        ["response_id"] = responseId,
    };

    private sealed class Usage(int input)
    {
        public int Output { get; set; }
        public int Reasoning { get; set; }

        public JsonObject ToJson() => new()
        {
            ["input_tokens"] = input,
            ["output_tokens"] = Output + Reasoning,
            ["characters"] = 0,
            ["total_tokens"] = input + Output + Reasoning,
            ["input_tokens_details"] = new JsonObject { ["text_tokens"] = input },
            ["output_tokens_details"] = new JsonObject { ["text_tokens"] = Output, ["reasoning_tokens"] = Reasoning },
        };
    }
}
