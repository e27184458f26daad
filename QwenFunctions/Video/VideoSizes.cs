using System.Globalization;
using QwenFunctions.Http;

namespace QwenFunctions.Video;

/// <summary>The upstream takes an aspect ratio, never pixels (qwen-upstream.md §6.3): five values only.</summary>
public static class VideoSizes
{
    public static readonly IReadOnlyList<string> AspectRatios = ["1:1", "3:4", "4:3", "16:9", "9:16"];

    private static readonly string Allowed = string.Join(", ", AspectRatios);

    /// <summary>Native routes: the aspect ratio exactly, or the default when absent.</summary>
    public static string ParseAspectRatio(string? size, string defaultSize)
    {
        if (string.IsNullOrWhiteSpace(size))
        {
            return defaultSize;
        }

        var trimmed = size.Trim();
        return AspectRatios.Contains(trimmed)
            ? trimmed
            : throw ApiException.BadRequest($"size must be one of {Allowed}; got '{Truncate(trimmed)}'.", "size", "invalid_size");
    }

    /// <summary>OpenAI routes: WIDTHxHEIGHT mapped to the nearest allowed ratio (an exact ratio is accepted too).</summary>
    public static string MapPixelSize(string? size, string defaultSize)
    {
        if (string.IsNullOrWhiteSpace(size))
        {
            return defaultSize;
        }

        var trimmed = size.Trim();
        if (AspectRatios.Contains(trimmed))
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

        // Compare ratios on a log scale so 2:1 is as far from 1:1 as 1:2 is.
        var wanted = Math.Log((double)width / height);
        return AspectRatios.MinBy(ratio => Math.Abs(Math.Log(Ratio(ratio)) - wanted))!;
    }

    /// <summary>A representative pixel size for an aspect ratio, for OpenAI-shaped answers.</summary>
    public static string ToPixelSize(string aspectRatio) => aspectRatio switch
    {
        "1:1" => "720x720",
        "3:4" => "720x960",
        "4:3" => "960x720",
        "9:16" => "720x1280",
        _ => "1280x720",
    };

    private static double Ratio(string aspectRatio)
    {
        var parts = aspectRatio.Split(':');
        return double.Parse(parts[0], CultureInfo.InvariantCulture) / double.Parse(parts[1], CultureInfo.InvariantCulture);
    }

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
