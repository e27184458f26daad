using System.Net;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Benchmarks;

internal sealed record AmplificationResult(int Requests, int Succeeded, int Completions, int UpstreamCalls, int FirstRequestCompletions, int LimitedAccountCalls);

internal sealed record TruncationResult(int Requests, int TruncatedSuccess, int InBandErrors, int Hangs, int Other, int NonStreamingRequests, int NonStreamingTruncatedSuccess, int NonStreamingFullAnswers, string NonStreamingErrorStatuses);

/// <summary>Fault scenarios F1 (one rate-limited key in a pool of three) and F8 (stream cut mid-answer).</summary>
internal static class ResilienceBenchmarks
{
    /// <summary>Every completion of account 0 answers RateLimited; counts upstream calls per client request.</summary>
    public static async Task<AmplificationResult> RetryAmplificationAsync(int requests, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection> services)
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 3, services: services);
        var limited = app.Accounts[0].Token;
        app.Emulator.Faults.SetSticky(limited, Fault.RateLimited(), EmulatorEndpoint.TextCompletion);
        var proxy = new ProxyClient(app.Http);

        var succeeded = 0;
        var firstRequestCompletions = 0;
        for (var i = 0; i < requests; i++)
        {
            using var timeout = new CancellationTokenSource(Load.RequestTimeout);
            var (status, answer) = await proxy.CompleteAsync($"limited {i}", timeout.Token);
            if (status == HttpStatusCode.OK && answer == $"Echo: limited {i}") succeeded++;
            if (i == 0) firstRequestCompletions = app.Completions().Count;
        }

        // Model-list fetches are cached and not per request; count only the chat exchange (chats/new + completions).
        var calls = app.Emulator.Requests.Count(r => r.Path is "/api/v2/chats/new" or "/api/v2/chat/completions");
        var limitedAfterFirst = app.Completions(limited).Count;
        return new AmplificationResult(requests, succeeded, app.Completions().Count, calls, firstRequestCompletions, limitedAfterFirst);
    }

    /// <summary>Every upstream stream is cut after one answer delta; no client may see that as a complete answer.</summary>
    public static async Task<TruncationResult> CutStreamsAsync(int requests, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection> services)
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 3, services: services);
        var proxy = new ProxyClient(app.Http);
        int truncatedSuccess = 0, inBandErrors = 0, hangs = 0, other = 0;
        for (var i = 0; i < requests; i++)
        {
            app.Emulator.Faults.Enqueue(Fault.CutAfter(1), endpoint: EmulatorEndpoint.TextCompletion);
            using var timeout = new CancellationTokenSource(Load.RequestTimeout);
            try
            {
                var outcome = await proxy.StreamAsync($"cut {i}", timeout.Token);
                if (outcome.EndedWithDone) truncatedSuccess++;
                else if (outcome.Status == HttpStatusCode.OK && outcome.EndedWithErrorEvent) inBandErrors++;
                else other++;
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                hangs++;
            }
        }

        // Non-streaming: nothing has reached the client yet, so a retry that returns the full answer is fine;
        // a 200 carrying anything but the full answer is a truncation presented as success.
        var nonStreamingTruncated = 0;
        var nonStreamingFull = 0;
        var errorStatuses = new SortedDictionary<int, int>();
        for (var i = 0; i < requests; i++)
        {
            app.Emulator.Faults.Enqueue(Fault.CutAfter(1), endpoint: EmulatorEndpoint.TextCompletion);
            using var timeout = new CancellationTokenSource(Load.RequestTimeout);
            var (status, answer) = await proxy.CompleteAsync($"cut {i}", timeout.Token);
            if (status == HttpStatusCode.OK && answer != $"Echo: cut {i}") nonStreamingTruncated++;
            else if (status == HttpStatusCode.OK) nonStreamingFull++;
            else errorStatuses[(int)status] = errorStatuses.GetValueOrDefault((int)status) + 1;
        }

        return new TruncationResult(requests, truncatedSuccess, inBandErrors, hangs, other, requests, nonStreamingTruncated, nonStreamingFull,
            errorStatuses.Count == 0 ? "none" : string.Join(", ", errorStatuses.Select(e => $"{e.Value}× HTTP {e.Key}")));
    }
}
