using System.Buffers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QwenFunctions.Accounts;
using QwenFunctions.Configuration;
using QwenFunctions.Telemetry;

namespace QwenFunctions.Upstream;

/// <summary>
/// The completion endpoint. No resilience pipeline here: a started stream is never replayed. Its own clock
/// bounds the wait for the first event and the silence between events (YARP-style idle timeout).
/// </summary>
public sealed class QwenChatClient(HttpClient http, IOptionsMonitor<QwenOptions> options, TimeProvider time, QwenMetrics metrics, ILogger<QwenChatClient> logger)
{
    // Error envelopes and WAF pages are small; the prefix only has to hold one of those.
    private const int CapturedPrefixBytes = 64 * 1024;

    public async IAsyncEnumerable<QwenStreamEvent> StreamAsync(
        QwenAccount account,
        QwenCompletionRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var timeouts = options.CurrentValue.Timeouts;
        var telemetry = RequestTelemetry.Current;
        using var span = UpstreamTracing.Start("POST", "api/v2/chat/completions", account.Id);
        string? end = null; // why the stream ended; still null when the consumer stopped reading (its client went away)
        string? errorKind = null;
        QwenUsage? usage = null;
        try
        {
            using var watchdog = new CancellationTokenSource(timeouts.FirstByte, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, watchdog.Token);
            HttpResponseMessage sent;
            var waitStarted = time.GetTimestamp();
            try
            {
                sent = await SendAsync(account, request, "text/event-stream", watchdog, linked.Token, cancellationToken);
            }
            catch (QwenUpstreamException ex)
            {
                (end, errorKind) = (StreamEnds.UpstreamError, ex.Kind.ToString());
                throw;
            }
            finally
            {
                telemetry?.AddUpstreamWait(waitStarted);
            }

            using var response = sent;
            await using var body = new PrefixCapturingStream(await response.Content.ReadAsStreamAsync(linked.Token), CapturedPrefixBytes);

            var interpreter = new QwenStreamInterpreter();
            // Each event's data is copied out of the parser's buffer into a pooled array, read, and given back: no
            // string per event.
            await using var items = SseParser.Create(body, static (_, data) => EventData.Copy(data)).EnumerateAsync(linked.Token).GetAsyncEnumerator(linked.Token);
            while (true)
            {
                bool more;
                waitStarted = time.GetTimestamp();
                try
                {
                    more = await items.MoveNextAsync();
                }
                catch (OperationCanceledException) when (watchdog.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    end = interpreter.SawContent ? StreamEnds.IdleTimeout : StreamEnds.FirstByteTimeout;
                    Log.StreamFailed(logger, account.Id, nameof(UpstreamErrorKind.Timeout));
                    throw new QwenUpstreamException(UpstreamErrorKind.Timeout,
                        interpreter.SawContent ? "The upstream went silent mid-answer." : "The upstream sent nothing before the first-byte timeout.");
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
                {
                    end = interpreter.SawContent ? StreamEnds.UpstreamCut : StreamEnds.UpstreamError;
                    Log.StreamFailed(logger, account.Id, nameof(UpstreamErrorKind.StreamInterrupted));
                    throw new QwenUpstreamException(interpreter.SawContent ? UpstreamErrorKind.StreamInterrupted : UpstreamErrorKind.Transient,
                        "The upstream connection broke mid-stream.", ex);
                }
                finally
                {
                    telemetry?.AddUpstreamWait(waitStarted);
                }

                if (!more)
                {
                    break;
                }

                watchdog.CancelAfter(timeouts.Idle);
                body.StopCapturing();
                IEnumerable<QwenStreamEvent> events;
                var data = items.Current.Data;
                try
                {
                    events = interpreter.Interpret(data.Memory);
                }
                catch (QwenUpstreamException ex)
                {
                    (end, errorKind) = (StreamEnds.UpstreamError, ex.Kind.ToString());
                    Log.StreamError(logger, account.Id, ex.Kind.ToString(), UpstreamText.Redact(ex.Message));
                    throw;
                }
                finally
                {
                    data.Return();
                }

                foreach (var ev in events)
                {
                    switch (ev)
                    {
                        case QwenAnswerDelta or QwenReasoningDelta or QwenImageGenerated when telemetry?.TryMarkFirstToken() == true:
                            metrics.FirstToken(telemetry, telemetry.Elapsed);
                            break;
                        case QwenUsage reported:
                            usage = reported;
                            break;
                        case QwenAnswerFinished:
                            // Before the yield: a consumer that has what it needs may stop reading right here.
                            end = StreamEnds.Complete;
                            break;
                    }

                    yield return ev;
                    if (ev is QwenAnswerFinished)
                    {
                        yield break;
                    }
                }
            }

            var failure = interpreter.SawContent
                ? new QwenUpstreamException(UpstreamErrorKind.StreamInterrupted, "The upstream stream ended before the answer finished.")
                : ErrorInNonEvents(response, body.CapturedText)
                    ?? new QwenUpstreamException(UpstreamErrorKind.EmptyStream, "The upstream stream carried no answer (soft rate limit).");
            end = interpreter.SawContent ? StreamEnds.UpstreamCut : StreamEnds.UpstreamError;
            Log.StreamFailed(logger, account.Id, failure.Kind.ToString());
            throw failure;
        }
        finally
        {
            end ??= StreamEnds.ClientGone;
            metrics.StreamEnded(telemetry, end);
            if (end == StreamEnds.Complete && usage is not null)
            {
                metrics.TokenUsage(telemetry, usage.InputTokens, usage.OutputTokens);
            }

            UpstreamTracing.End(span, end == StreamEnds.Complete ? "success" : errorKind ?? end);
        }
    }

    /// <summary>One event's data in a rented array; <see cref="Return"/> once it has been read.</summary>
    private readonly record struct EventData(byte[] Array, int Length)
    {
        public ReadOnlyMemory<byte> Memory => Array.AsMemory(0, Length);

        public static EventData Copy(ReadOnlySpan<byte> data)
        {
            var array = data.Length == 0 ? [] : ArrayPool<byte>.Shared.Rent(data.Length);
            data.CopyTo(array);
            return new EventData(array, data.Length);
        }

        public void Return()
        {
            if (Array.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(Array);
            }
        }
    }

    /// <summary>
    /// Why a "stream" carried no event: a plain JSON or HTML error body under an event-stream content type, or the real
    /// status in x-actual-status-code (the body said nothing more). Null: a genuinely empty stream.
    /// </summary>
    private static QwenUpstreamException? ErrorInNonEvents(HttpResponseMessage response, string captured)
    {
        var text = captured.TrimStart();
        if (text.StartsWith('{') || text.StartsWith('<'))
        {
            return UpstreamErrorClassifier.Classify(response.StatusCode, QwenApiClient.ActualStatus(response), null, text);
        }

        return QwenApiClient.ActualStatus(response) is >= 400 and var actual ? UpstreamErrorClassifier.FromStatus(actual, null) : null;
    }

    /// <summary>A non-streaming completion (t2v): returns the success JSON, errors throw.</summary>
    public async Task<JsonDocument> CompleteAsync(QwenAccount account, QwenCompletionRequest request, CancellationToken cancellationToken)
    {
        using var watchdog = new CancellationTokenSource(options.CurrentValue.Timeouts.Request, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, watchdog.Token);
        using var response = await SendAsync(account, request with { Stream = false }, "application/json", watchdog, linked.Token, cancellationToken);
        var text = await QwenApiClient.ReadBoundedAsync(response.Content, linked.Token);
        return QwenApiClient.ErrorIn(response, text) is { } error ? throw error : QwenApiClient.ParseJson(text);
    }

    private async Task<HttpResponseMessage> SendAsync(
        QwenAccount account, QwenCompletionRequest request, string accept, CancellationTokenSource watchdog, CancellationToken linked, CancellationToken caller)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, $"api/v2/chat/completions?chat_id={Uri.EscapeDataString(request.ChatId)}")
        {
            Content = QwenPayloads.CompletionContent(request, time.GetUtcNow()),
        }.WithAccount(account, request.ChatId);
        message.Headers.Accept.ParseAdd(accept);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked);
        }
        catch (OperationCanceledException ex) when (watchdog.IsCancellationRequested && !caller.IsCancellationRequested)
        {
            throw new QwenUpstreamException(UpstreamErrorKind.Timeout, "The upstream sent no response headers in time.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new QwenUpstreamException(UpstreamErrorKind.Transient, "Upstream unreachable: " + ex.HttpRequestError, ex);
        }
        finally
        {
            message.Dispose();
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        // An event stream is read as one even when x-actual-status-code says 4xx: its error event carries the details
        // (RateLimited hours, data_inspection_failed) that the status alone would lose.
        if (accept == "text/event-stream" && response.IsSuccessStatusCode && mediaType == "text/event-stream")
        {
            return response;
        }

        if (accept != "text/event-stream" && response.IsSuccessStatusCode)
        {
            return response;
        }

        // Not a stream: an error envelope (often inside HTTP 200), a WAF page, or a plain HTTP error.
        using (response)
        {
            var text = await QwenApiClient.ReadBoundedAsync(response.Content, linked);
            var error = UpstreamErrorClassifier.Classify(response.StatusCode, QwenApiClient.ActualStatus(response), mediaType, text)
                ?? (text.Length == 0
                    ? new QwenUpstreamException(UpstreamErrorKind.EmptyStream, "The upstream answered with an empty body.")
                    : new QwenUpstreamException(UpstreamErrorKind.Transient, $"Unexpected upstream answer ({mediaType ?? "no content type"})."));
            Log.UpstreamError(logger, "POST", "/api/v2/chat/completions", error.Kind.ToString(), error.UpstreamStatus, UpstreamText.Redact(error.Message));
            throw error;
        }
    }
}
