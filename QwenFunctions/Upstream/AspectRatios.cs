using System.Globalization;
using QwenFunctions.Http;

namespace QwenFunctions.Upstream;

/// <summary>
/// The upstream draws images and videos in an aspect ratio, never in pixels (docs/upstream.md §6.3): five values only.
/// Callers differ in how forgiving they are with what clients send, so each has its own entry point.
/// </summary>
public static class AspectRatios
{
    public static readonly IReadOnlyList<string> Supported = ["1:1", "3:4", "4:3", "16:9", "9:16"];

    /// <summary>The same five, for [RegularExpression] on options.</summary>
    public const string Pattern = "^(1:1|3:4|4:3|16:9|9:16)$";

    /// <summary>"1:1, 3:4, 4:3, 16:9, 9:16", for error messages.</summary>
    public static readonly string Allowed = string.Join(", ", Supported);

    /// <summary>Images: "16:9" as is, "1792x1024" (or any W:H) to the nearest ratio, anything else null.</summary>
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

        return Nearest(width, height);
    }

    /// <summary>Native video routes: the aspect ratio exactly, or the default when absent.</summary>
    public static string ParseExact(string? size, string defaultSize)
    {
        if (string.IsNullOrWhiteSpace(size))
        {
            return defaultSize;
        }

        var trimmed = size.Trim();
        return Supported.Contains(trimmed)
            ? trimmed
            : throw ApiException.BadRequest($"size must be one of {Allowed}; got '{Truncate(trimmed)}'.", "size", "invalid_size");
    }

    /// <summary>OpenAI video routes: whole-pixel WIDTHxHEIGHT mapped to the nearest ratio (an exact ratio is accepted too).</summary>
    public static string MapPixelSize(string? size, string defaultSize)
    {
        if (string.IsNullOrWhiteSpace(size))
        {
            return defaultSize;
        }

        var trimmed = size.Trim();
        if (Supported.Contains(trimmed))
        {
            return trimmed;
        }

        var parts = trimmed.Split('x', 'X', '*', '×');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var width)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var height)
            || width <= 0 || height <= 0)
        {
            throw ApiException.BadRequest($"size must be WIDTHxHEIGHT (e.g. 1280x720) or one of {Allowed}; got '{Truncate(trimmed)}'.", "size", "invalid_size");
        }

        return Nearest(width, height);
    }

    /// <summary>A representative pixel size for an aspect ratio, for OpenAI-shaped video answers.</summary>
    public static string ToPixelSize(string aspectRatio) => aspectRatio switch
    {
        "1:1" => "720x720",
        "3:4" => "720x960",
        "4:3" => "960x720",
        "9:16" => "720x1280",
        _ => "1280x720",
    };

    // Compared on a log scale so 2:1 is as far from 1:1 as 1:2 is.
    private static string Nearest(double width, double height)
    {
        var wanted = Math.Log(width / height);
        return Supported.MinBy(ratio => Math.Abs(Math.Log(Ratio(ratio)) - wanted))!;
    }

    private static double Ratio(string aspectRatio)
    {
        var parts = aspectRatio.Split(':');
        return double.Parse(parts[0], CultureInfo.InvariantCulture) / double.Parse(parts[1], CultureInfo.InvariantCulture);
    }

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
