using System.Security.Cryptography;

namespace QwenFunctions.Anthropic;

/// <summary>
/// Message and tool-use ids in Anthropic's style. Only <c>[A-Za-z0-9_-]</c>: clients may later replay a history to
/// Anthropic itself, which checks the pattern.
/// </summary>
public static class AnthropicIds
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string Message() => "msg_" + Random(24);

    /// <summary>A tool-use id derived from the pipeline's call id (so the same call keeps the same id), or a new one.</summary>
    public static string ToolUse(string? callId)
    {
        var tail = callId is { Length: > 0 } id ? Clean(id.StartsWith("call_", StringComparison.Ordinal) ? id[5..] : id) : "";
        return "toolu_" + (tail.Length > 0 ? tail : Random(24));
    }

    private static string Clean(string value) => new(value.Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-').ToArray());

    private static string Random(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
