using System.Diagnostics;

namespace QwenFunctions.Telemetry;

/// <summary>
/// One client span per upstream call: account fingerprint, route template, attempt and outcome. Never a token,
/// cookie, prompt or id: ids in the path are replaced by <c>{id}</c>.
/// </summary>
public static class UpstreamTracing
{
    public const string SourceName = "QwenFunctions";

    private static readonly ActivitySource Source = new(SourceName);

    public static Activity? Start(string method, string path, string? accountId)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var route = RouteTemplate(path);
        var activity = Source.StartActivity($"{method} {route}", ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag(Attributes.HttpMethod, method);
            activity.SetTag(Attributes.UpstreamRoute, route);
            activity.SetTag(Attributes.Account, accountId);
            activity.SetTag(Attributes.Attempt, RequestTelemetry.Current?.Attempts);
        }

        return activity;
    }

    /// <summary>Records the outcome: "success", or the upstream error kind (then the span's status is an error).</summary>
    public static void End(Activity? activity, string outcome)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(Attributes.Outcome, outcome);
        if (outcome != "success")
        {
            activity.SetTag(Attributes.ErrorType, outcome);
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }

    /// <summary>The path without its query, with id-like segments (uuids, task and file ids) as <c>{id}</c>.</summary>
    public static string RouteTemplate(string path)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        var bare = query >= 0 ? path[..query] : path;
        var segments = bare.TrimStart('/').Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (LooksLikeId(segments[i]))
            {
                segments[i] = "{id}";
            }
        }

        return "/" + string.Join('/', segments);
    }

    private static bool LooksLikeId(string segment) =>
        (segment.Length >= 8 && segment.Any(char.IsDigit) && !segment.StartsWith('v')) || Guid.TryParse(segment, out _);
}
