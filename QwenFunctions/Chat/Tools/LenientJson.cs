using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace QwenFunctions.Chat.Tools;

/// <summary>
/// JSON as models write it inside tool-call blocks. Repairs only what is safe (the peers' list): a Markdown fence
/// around it, comments and trailing commas, raw control characters inside strings, and closing brackets missing
/// at the very end. Anything else is not a call, and never guessed at.
/// </summary>
internal static class LenientJson
{
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    public static JsonNode? TryParse(string text)
    {
        var candidate = StripFence(text.Trim());
        if (candidate.Length == 0 || candidate[0] is not ('{' or '['))
        {
            return null;
        }

        return Parse(candidate) ?? Parse(Repair(candidate));
    }

    private static JsonNode? Parse(string? text)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text, documentOptions: Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string StripFence(string text)
    {
        if (!text.StartsWith("```", StringComparison.Ordinal))
        {
            return text;
        }

        var firstLine = text.IndexOf('\n');
        var end = text.LastIndexOf("```", StringComparison.Ordinal);
        return firstLine < 0 || end <= firstLine ? text : text[(firstLine + 1)..end].Trim();
    }

    /// <summary>Escapes raw control characters inside strings and closes what is still open at the end; null if that cannot help.</summary>
    private static string? Repair(string text)
    {
        var output = new StringBuilder(text.Length + 8);
        var open = new Stack<char>();
        var inString = false;
        var escaped = false;
        foreach (var c in text)
        {
            if (inString)
            {
                if (escaped)
                {
                    escaped = false;
                }
                else if (c == '\\')
                {
                    escaped = true;
                }
                else if (c == '"')
                {
                    inString = false;
                }
                else if (c < ' ')
                {
                    output.Append(c switch { '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", _ => $"\\u{(int)c:x4}" });
                    continue;
                }

                output.Append(c);
                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '{' or '[':
                    open.Push(c);
                    break;
                case '}' or ']':
                    if (open.Count == 0 || open.Pop() != (c == '}' ? '{' : '['))
                    {
                        return null;
                    }

                    break;
            }

            output.Append(c);
        }

        if (inString)
        {
            return null; // a string cut off mid-way: the arguments would be made up
        }

        while (open.Count > 0)
        {
            output.Append(open.Pop() == '{' ? '}' : ']');
        }

        return output.ToString();
    }
}
