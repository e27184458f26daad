using System.Globalization;

namespace QwenFunctions.Accounts;

/// <summary>One <c>Set-Cookie</c> header, reduced to what a per-account jar needs: name, value, and whether it deletes.</summary>
public readonly record struct SetCookie(string Name, string Value, bool Deletes)
{
    private static readonly string[] ExpiresFormats = ["r", "ddd, dd-MMM-yyyy HH:mm:ss 'GMT'", "ddd, dd MMM yyyy HH:mm:ss 'GMT'", "dddd, dd-MMM-yy HH:mm:ss 'GMT'"];

    /// <param name="now">When given, an <c>Expires</c> in the past deletes too.</param>
    public static bool TryParse(string header, out SetCookie cookie, DateTimeOffset? now = null)
    {
        cookie = default;
        var parts = header.Split(';', StringSplitOptions.TrimEntries);
        var separator = parts[0].IndexOf('=');
        if (separator <= 0)
        {
            return false;
        }

        var name = parts[0][..separator].Trim();
        var value = parts[0][(separator + 1)..].Trim();
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            value = value[1..^1];
        }

        // docs/upstream.md §10.5: an empty value or Max-Age<=0 is the upstream logging that cookie out.
        var deletes = value.Length == 0;
        foreach (var attribute in parts.Skip(1))
        {
            var equals = attribute.IndexOf('=');
            var key = equals < 0 ? attribute : attribute[..equals].Trim();
            var argument = equals < 0 ? "" : attribute[(equals + 1)..].Trim();
            if (key.Equals("Max-Age", StringComparison.OrdinalIgnoreCase) && long.TryParse(argument, NumberStyles.Integer, CultureInfo.InvariantCulture, out var maxAge))
            {
                deletes |= maxAge <= 0;
            }
            else if (key.Equals("Expires", StringComparison.OrdinalIgnoreCase) && now is { } at
                && DateTimeOffset.TryParseExact(argument, ExpiresFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires))
            {
                deletes |= expires <= at;
            }
        }

        cookie = new SetCookie(name, value, deletes);
        return true;
    }

    // Cookie values are session secrets: never in a log line or a message.
    public override string ToString() => Deletes ? $"{Name} (deleted)" : $"{Name}=…";
}
