using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace QwenFunctions.Telemetry;

/// <summary>
/// Every metric of the app, on one <see cref="Meter"/>, named after the OpenTelemetry GenAI conventions where they
/// have a name (gen_ai.*), else under qwen.*. Attributes are low-cardinality: route families, outcome classes and
/// account fingerprints at most, never a client key, chat id or prompt.
/// </summary>
public sealed class QwenMetrics
{
    public const string MeterName = "QwenFunctions";
    public const string ProviderName = "qwen";

    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<double> _timeToFirstToken;
    private readonly Histogram<double> _overhead;
    private readonly Histogram<long> _tokens;
    private readonly Counter<long> _attempts;
    private readonly Counter<long> _rotations;
    private readonly Counter<long> _streamEnds;
    private readonly Counter<long> _videoJobs;

    public QwenMetrics(IMeterFactory meterFactory)
    {
        Meter = meterFactory.Create(MeterName);
        _requestDuration = Meter.CreateHistogram<double>("gen_ai.server.request.duration", "s",
            "Time from a request's arrival to the end of its answer (a stream's last byte).", advice: SecondsBuckets);
        _timeToFirstToken = Meter.CreateHistogram<double>("gen_ai.server.time_to_first_token", "s",
            "Time from a request's arrival to the first answer or reasoning content.", advice: SecondsBuckets);
        _overhead = Meter.CreateHistogram<double>("qwen.server.overhead", "s",
            "Time a request spent in the app itself: its duration less the time spent waiting for chat.qwen.ai.", advice: SecondsBuckets);
        _tokens = Meter.CreateHistogram<long>("gen_ai.client.token.usage", "{token}", "Tokens the upstream reported per answer.");
        _attempts = Meter.CreateCounter<long>("qwen.upstream.attempts", "{attempt}", "Account attempts, by the failure policy's outcome class.");
        _rotations = Meter.CreateCounter<long>("qwen.account.rotations", "{rotation}", "Moves to another account after a failed attempt.");
        _streamEnds = Meter.CreateCounter<long>("qwen.stream.ends", "{stream}", "How upstream answer streams ended.");
        _videoJobs = Meter.CreateCounter<long>("qwen.video.jobs", "{job}", "Video job state changes.");
    }

    public Meter Meter { get; }

    private static readonly InstrumentAdvice<double> SecondsBuckets = new()
    {
        HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    };

    public void RequestFinished(RequestTelemetry request, int statusCode, string outcome, TimeSpan duration)
    {
        var tags = request.Tags();
        tags.Add(Attributes.Outcome, outcome);
        tags.Add(Attributes.HttpStatusCode, statusCode);
        _requestDuration.Record(duration.TotalSeconds, tags);
        _overhead.Record(Math.Max(0, (duration - request.UpstreamWait).TotalSeconds), tags);
    }

    public void FirstToken(RequestTelemetry request, TimeSpan sinceArrival)
    {
        var tags = request.Tags();
        tags.Add(Attributes.Outcome, "success");
        _timeToFirstToken.Record(sinceArrival.TotalSeconds, tags);
    }

    public void TokenUsage(RequestTelemetry? request, int input, int output)
    {
        var tags = request?.Tags() ?? BaseTags();
        tags.Add(Attributes.TokenType, "input");
        _tokens.Record(input, tags);
        tags = request?.Tags() ?? BaseTags();
        tags.Add(Attributes.TokenType, "output");
        _tokens.Record(output, tags);
    }

    /// <param name="outcomeClass">"success", or the failure policy's action for the error (e.g. "cool_down_and_rotate").</param>
    public void UpstreamAttempt(string feature, string outcomeClass, string? errorType) =>
        _attempts.Add(1, new TagList
        {
            { Attributes.Feature, feature },
            { Attributes.OutcomeClass, outcomeClass },
            { Attributes.ErrorType, errorType },
        });

    public void Rotation(string feature, string errorType) =>
        _rotations.Add(1, new TagList { { Attributes.Feature, feature }, { Attributes.ErrorType, errorType } });

    public void StreamEnded(RequestTelemetry? request, string reason)
    {
        var tags = request?.Tags() ?? BaseTags();
        tags.Add(Attributes.StreamEndReason, reason);
        _streamEnds.Add(1, tags);
    }

    public void VideoJob(string state) => _videoJobs.Add(1, new TagList { { Attributes.VideoState, state } });

    internal static TagList BaseTags() => new() { { Attributes.ProviderName, ProviderName } };
}
