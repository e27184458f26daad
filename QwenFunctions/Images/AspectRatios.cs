using System.Globalization;

namespace QwenFunctions.Images;

/// <summary>The five aspect ratios the upstream draws, and the mapping from OpenAI's WIDTHxHEIGHT sizes.</summary>
public static class AspectRatios
{
    public static readonly IReadOnlyList<string> Supported = ["1:1", "3:4", "4:3", "16:9", "9:16"];

    /// <summary>"16:9" as is, "1792x1024" to the nearest ratio (by log ratio), anything else null.</summary>
    public static string? Normalize(string? size)
    {
        if (string.IsNullOrWhiteSpace(size))
        {
            return null;
        }

        size = size.Trim();
        if (Supported.Contains(size))
        {
            return size;
        }

        var parts = size.Split(['x', 'X', '*', '×'], StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var width)
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var height) || width <= 0 || height <= 0)
        {
            var colon = size.Split(':', StringSplitOptions.TrimEntries);
            if (colon.Length != 2 || !double.TryParse(colon[0], CultureInfo.InvariantCulture, out width)
                || !double.TryParse(colon[1], CultureInfo.InvariantCulture, out height) || width <= 0 || height <= 0)
            {
                return null;
            }
        }

        var target = Math.Log(width / height);
        return Supported.MinBy(r => Math.Abs(Math.Log(Ratio(r)) - target));
    }

    private static double Ratio(string ratio)
    {
        var p = ratio.Split(':');
        return double.Parse(p[0], CultureInfo.InvariantCulture) / double.Parse(p[1], CultureInfo.InvariantCulture);
    }
}
