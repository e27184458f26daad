using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace QwenFunctions.Tests.Emulator;

/// <summary>
/// Answers a test scripts in advance: the next text completions (on any account, in order) answer exactly these
/// deltas, e.g. a model's tool-call text split mid-tag. When the queue is empty the usual answer is used.
/// </summary>
public sealed class AnswerScript
{
    private readonly ConcurrentQueue<ScriptedAnswer> _queue = new();

    /// <summary>Queues one answer sent as these deltas, one <c>answer</c> event each.</summary>
    public void Enqueue(params string[] deltas) => _queue.Enqueue(new ScriptedAnswer(deltas));

    public void Enqueue(ScriptedAnswer answer) => _queue.Enqueue(answer);

    /// <summary>Answers not used yet.</summary>
    public int Pending => _queue.Count;

    internal bool TryTake(out ScriptedAnswer answer) => _queue.TryDequeue(out answer!);
}

/// <summary>One scripted answer: its answer deltas, and (when the request turns thinking on) its thinking summaries.</summary>
public sealed record ScriptedAnswer(IReadOnlyList<string> Deltas)
{
    /// <summary>Thinking summary thoughts used instead of the generated ones when thinking is on.</summary>
    public IReadOnlyList<string>? Thoughts { get; init; }

    /// <summary>The text split into <paramref name="pieces"/> deltas (on text-element boundaries).</summary>
    public static ScriptedAnswer Split(string text, int pieces) => new(QwenEmulator.Split(text, pieces));
}

/// <summary>Tool-call text as Qwen models write it, for scripted answers.</summary>
public static class ModelToolCalls
{
    /// <summary>The JSON form: <c>&lt;tool_call&gt;\n{"name": …, "arguments": {…}}\n&lt;/tool_call&gt;</c>.</summary>
    public static string Json(string name, string argumentsJson) =>
        "<tool_call>\n{\"name\": " + JsonValue.Create(name).ToJsonString() + ", \"arguments\": " + argumentsJson + "}\n</tool_call>";

    /// <summary>The Qwen-coder form: <c>&lt;function=NAME&gt;&lt;parameter=P&gt;value&lt;/parameter&gt;&lt;/function&gt;</c> in the same tags.</summary>
    public static string Coder(string name, params (string Name, string Value)[] parameters) =>
        "<tool_call>\n<function=" + name + ">\n"
        + string.Concat(parameters.Select(p => $"<parameter={p.Name}>\n{p.Value}\n</parameter>\n"))
        + "</function>\n</tool_call>";
}
