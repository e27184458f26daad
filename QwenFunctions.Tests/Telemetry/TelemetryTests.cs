using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using QwenFunctions.Telemetry;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Telemetry;

/// <summary>What an operator sees for a success, a rotation and a cut stream: metric names, units, attributes; spans; headers.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task ChatCompletion_Success_RecordsDurationTokensAttemptAndCompleteStreamAndAnswersTheCostHeaders()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 1);
        using var metrics = new RecordedMetrics(app);

        using var response = await app.PostAsync("api/v1/chat/completions", new { model = "qwen3.6-plus", messages = new[] { new { role = "user", content = "hi" } } });
        await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", Assert.Single(response.Headers.GetValues(HttpPipelineHeaders.Attempts)));
        var overhead = double.Parse(Assert.Single(response.Headers.GetValues(HttpPipelineHeaders.Overhead)), CultureInfo.InvariantCulture);
        Assert.InRange(overhead, 0, 60_000);

        var duration = await metrics.WaitForAsync("gen_ai.server.request.duration", m => m.Has("qwen.route_family", "chat"));
        Assert.Equal("s", duration.Unit);
        Assert.True(duration.Has("qwen.surface", "openai") && duration.Has("qwen.outcome", "success") && duration.Has("gen_ai.operation.name", "chat"));
        Assert.True(duration.Has("http.response.status_code", 200));
        Assert.Equal("s", metrics.Single("qwen.server.overhead", m => m.Has("qwen.route_family", "chat")).Unit);
        Assert.Equal("s", metrics.Single("gen_ai.server.time_to_first_token", m => m.Has("qwen.route_family", "chat")).Unit);

        var attempt = metrics.Single("qwen.upstream.attempts");
        Assert.Equal("{attempt}", attempt.Unit);
        Assert.True(attempt.Has("qwen.outcome_class", "success") && attempt.Has("qwen.feature", "chat"));
        var tokens = metrics.All("gen_ai.client.token.usage");
        Assert.Equal("{token}", tokens[0].Unit);
        Assert.Contains(tokens, m => m.Has("gen_ai.token.type", "input") && m.Value > 0);
        Assert.Contains(tokens, m => m.Has("gen_ai.token.type", "output") && m.Value > 0);
        Assert.True(metrics.Single("qwen.stream.ends").Has("qwen.stream.end_reason", "complete"));
        Assert.Empty(metrics.All("qwen.account.rotations"));
    }

    [Fact]
    public async Task ChatCompletion_FirstAccountRateLimited_CountsTheRotationTheCooldownAndTwoAttempts()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        app.Emulator.Faults.SetSticky(app.Accounts[0].Token, Fault.RateLimited(), EmulatorEndpoint.TextCompletion);
        using var metrics = new RecordedMetrics(app);

        // Round robin: exactly one of two requests meets the limited account first.
        var attempts = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var response = await app.PostAsync("api/v1/chat/completions", new { model = "qwen3.6-plus", messages = new[] { new { role = "user", content = $"hi {i}" } } });
            await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            attempts.Add(Assert.Single(response.Headers.GetValues(HttpPipelineHeaders.Attempts)));
        }

        Assert.Equal(new[] { "1", "2" }, attempts.Order().ToArray());
        var rotation = metrics.Single("qwen.account.rotations");
        Assert.Equal("{rotation}", rotation.Unit);
        Assert.True(rotation.Has("qwen.feature", "chat") && rotation.Has("error.type", "RateLimited"));
        Assert.Contains(metrics.All("qwen.upstream.attempts"), m => m.Has("qwen.outcome_class", "cool_down_and_rotate") && m.Has("error.type", "RateLimited"));
        Assert.Equal(2, metrics.All("qwen.upstream.attempts").Count(m => m.Has("qwen.outcome_class", "success")));

        var accounts = metrics.Observe("qwen.accounts");
        Assert.Equal("{account}", accounts[0].Unit);
        Assert.Equal(1, accounts.Single(m => m.Has("qwen.account.state", "cooling") && m.Has("qwen.feature", "chat")).Value);
        Assert.Equal(1, accounts.Single(m => m.Has("qwen.account.state", "active")).Value);
        Assert.Equal(0, accounts.Single(m => m.Has("qwen.account.state", "invalid")).Value);
    }

    [Fact]
    public async Task ChatCompletionStream_UpstreamCutMidAnswer_CountsAnUpstreamCutAndTheSpanSaysSoWithoutSecrets()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 1);
        app.Emulator.Faults.Enqueue(Fault.CutAfter(1), endpoint: EmulatorEndpoint.TextCompletion);
        using var metrics = new RecordedMetrics(app);
        using var spans = new RecordedSpans();
        var accountId = QwenFunctions.Accounts.QwenAccount.Fingerprint(app.Accounts[0].Token);

        using var response = await app.PostAsync("api/v1/chat/completions", new { model = "qwen3.6-plus", stream = true, messages = new[] { new { role = "user", content = "a secret prompt" } } });
        var body = await response.Content.ReadAsStringAsync();

        Assert.Contains("\"error\"", body, StringComparison.Ordinal);
        Assert.Equal("1", Assert.Single(response.Headers.GetValues(HttpPipelineHeaders.Attempts)));
        var end = await metrics.WaitForAsync("qwen.stream.ends", _ => true);
        Assert.Equal("{stream}", end.Unit);
        Assert.True(end.Has("qwen.stream.end_reason", "upstream_cut") && end.Has("qwen.surface", "openai") && end.Has("qwen.route_family", "chat"));

        var completion = spans.Single(a => a.GetTagItem("qwen.account") as string == accountId && a.OperationName == "POST /api/v2/chat/completions");
        Assert.Equal(ActivityKind.Client, completion.Kind);
        Assert.Equal("/api/v2/chat/completions", completion.GetTagItem("qwen.upstream.route"));
        Assert.Equal(1, completion.GetTagItem("qwen.attempt"));
        Assert.Equal("upstream_cut", completion.GetTagItem("qwen.outcome"));
        Assert.Equal(ActivityStatusCode.Error, completion.Status);
        var create = spans.Single(a => a.GetTagItem("qwen.account") as string == accountId && a.OperationName == "POST /api/v2/chats/new");
        Assert.Equal("success", create.GetTagItem("qwen.outcome"));
        foreach (var tag in spans.All(a => a.GetTagItem("qwen.account") as string == accountId).SelectMany(a => a.TagObjects))
        {
            Assert.DoesNotContain(app.Accounts[0].Token, tag.Value?.ToString() ?? "", StringComparison.Ordinal);
            Assert.DoesNotContain("secret prompt", tag.Value?.ToString() ?? "", StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Status_RouteWithoutUpstream_StillAnswersTheCostHeaders()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 1);

        using var response = await app.Http.GetAsync("api/status");

        Assert.Equal("0", Assert.Single(response.Headers.GetValues(HttpPipelineHeaders.Attempts)));
        Assert.Single(response.Headers.GetValues(HttpPipelineHeaders.Overhead));
    }

    private static class HttpPipelineHeaders
    {
        public const string Attempts = QwenFunctions.Http.HttpPipeline.AttemptsHeader;
        public const string Overhead = QwenFunctions.Http.HttpPipeline.OverheadHeader;
    }

    private sealed record Recorded(string Name, string? Unit, double Value, IReadOnlyDictionary<string, object?> Tags)
    {
        public bool Has(string key, object value) => Tags.TryGetValue(key, out var actual) && Equals(actual, value);
    }

    /// <summary>Measurements of the app's meter in this test's host only (other tests run hosts in parallel).</summary>
    private sealed class RecordedMetrics : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<Recorded> _measurements = new();

        public RecordedMetrics(EmulatedApp app)
        {
            var factory = app.Server.Services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == QwenMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
            _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i, v, tags));
            _listener.Start();
        }

        public IReadOnlyList<Recorded> All(string name) => _measurements.Where(m => m.Name == name).ToList();

        public Recorded Single(string name, Func<Recorded, bool>? where = null) => Assert.Single(All(name), m => where?.Invoke(m) ?? true);

        /// <summary>Request metrics are recorded when the response has ended, which can be just after the client has read it.</summary>
        public async Task<Recorded> WaitForAsync(string name, Func<Recorded, bool> where)
        {
            for (var i = 0; i < 100 && !All(name).Any(where); i++)
            {
                await Task.Delay(20);
            }

            return Single(name, where);
        }

        public IReadOnlyList<Recorded> Observe(string name)
        {
            _listener.RecordObservableInstruments();
            return All(name);
        }

        public void Dispose() => _listener.Dispose();

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>();
            foreach (var (key, v) in tags)
            {
                copy[key] = v;
            }

            _measurements.Enqueue(new Recorded(instrument.Name, instrument.Unit, value, copy));
        }
    }

    private sealed class RecordedSpans : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<Activity> _spans = new();

        public RecordedSpans()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == UpstreamTracing.SourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _spans.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IReadOnlyList<Activity> All(Func<Activity, bool> where) => _spans.Where(where).ToList();

        public Activity Single(Func<Activity, bool> where) => Assert.Single(All(where));

        public void Dispose() => _listener.Dispose();
    }
}
