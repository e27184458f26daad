using System.Text.RegularExpressions;

namespace QwenFunctions.Upstream;

/// <summary>
/// Upstream error texts go to our logs only, never to clients (they can name internals, echo our input or a token
/// back). Before they are logged, anything that looks like a credential is masked and the text is kept short.
/// </summary>
public static partial class UpstreamText
{
    private const int MaxLength = 300;

    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var masked = Jwt().Replace(text, "[redacted]");
        masked = NamedSecret().Replace(masked, m => m.Groups["name"].Value + m.Groups["sep"].Value + "[redacted]");
        masked = LongOpaque().Replace(masked, "[redacted]");
        return masked.Length <= MaxLength ? masked : masked[..MaxLength] + "…";
    }

    [GeneratedRegex(@"eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"\b(?<name>token|cookie|authorization|api[_-]?key|secret|password|signature)\b(?<sep>[""']?\s*[:=]\s*[""']?)(?:bearer\s+)?[^\s""',;&]+|\b(?<name>bearer)(?<sep>\s+)[^\s""',;&]+", RegexOptions.IgnoreCase)]
    private static partial Regex NamedSecret();

    [GeneratedRegex(@"[A-Za-z0-9_\-+/=]{32,}")]
    private static partial Regex LongOpaque();
}
