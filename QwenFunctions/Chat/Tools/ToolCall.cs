using System.Security.Cryptography;

namespace QwenFunctions.Chat.Tools;

/// <summary>A call the model made (or, in a replayed history, made earlier).</summary>
/// <param name="Id">The call id (<c>call_…</c>); surfaces give it back unchanged as the result's reference.</param>
/// <param name="Name">The tool's name.</param>
/// <param name="Arguments">Function tools: the arguments as compact JSON object text. Custom tools: the raw input string.</param>
/// <param name="Kind">Function or freeform.</param>
public sealed record ToolCall(string Id, string Name, string Arguments, ToolKind Kind = ToolKind.Function)
{
    private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A new id in OpenAI's shape: <c>call_</c> + 24 alphanumerics.</summary>
    public static string NewId() => "call_" + RandomNumberGenerator.GetString(Alphanumerics, 24);
}

/// <summary>What a tool answered, to give back to the model.</summary>
/// <param name="CallId">The id of the call it answers (may be unknown to the app, e.g. a history from another service).</param>
/// <param name="Name">The tool's name when the surface knows it; otherwise found from the call in the history.</param>
/// <param name="Content">The result text (surfaces fold structured or error results into text first).</param>
public sealed record ToolResult(string? CallId, string? Name, string Content);
