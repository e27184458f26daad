using System.Buffers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;
using QwenFunctions.Accounts;
using QwenFunctions.Telemetry;

namespace QwenFunctions.Upstream;

/// <summary>
/// Non-streaming chat.qwen.ai calls (JSON in, JSON out). Runs behind the standard resilience handler, with
/// retries disabled for POSTs that create work. Capability-specific calls live in partial files next to this one.
/// </summary>
public sealed partial class QwenApiClient(HttpClient http, TimeProvider time, ILogger<QwenApiClient> logger)
{
    // Upstream JSON answers are small; a WAF page is ~16 KB. Anything far larger is not something we parse.
    private const int MaxBodyBytes = 4 * 1024 * 1024;
    private const int InitialBufferBytes = 4 * 1024;

    private static readonly string[] ChatIdNames = ["id", "chat_id", "chatId"];

    public async Task<string> CreateChatAsync(QwenAccount account, string model, string chatType, CancellationToken cancellationToken)
    {
        using var doc = await SendContentAsync(HttpMethod.Post, "api/v2/chats/new", account, QwenPayloads.NewChatContent(model, chatType, time.GetUtcNow()), null, cancellationToken);
        var root = doc.RootElement;
        var data = root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : root;
        foreach (var name in ChatIdNames)
        {
            if (data.TryGetProperty(name, out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } chatId)
            {
                return chatId;
            }
        }

        throw new QwenUpstreamException(UpstreamErrorKind.Transient, "chats/new answered without a chat id.");
    }

    /// <summary>Best effort: tells the upstream to stop generating after our client went away.</summary>
    public async Task StopAsync(QwenAccount account, string chatId, string? responseId, CancellationToken cancellationToken)
    {
        try
        {
            var body = new JsonObject { ["chat_id"] = chatId, ["response_id"] = responseId };
            using var _ = await SendJsonAsync(HttpMethod.Post, $"api/v2/chat/completions/stop?chat_id={Uri.EscapeDataString(chatId)}", account, body, chatId, cancellationToken);
        }
        catch (Exception ex) when (ex is QwenUpstreamException or HttpRequestException or OperationCanceledException)
        {
            Log.StopFailed(logger, account.Id, ex.GetType().Name);
        }
    }

    /// <summary>Sends a JSON request and returns the success body; upstream errors (also inside HTTP 200) throw <see cref="QwenUpstreamException"/>.</summary>
    public Task<JsonDocument> SendJsonAsync(HttpMethod method, string path, QwenAccount? account, JsonNode? body, string? chatId, CancellationToken cancellationToken) =>
        SendContentAsync(method, path, account, body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), chatId, cancellationToken);

    /// <summary><see cref="SendJsonAsync"/> with a body already encoded (the request disposes it).</summary>
    public async Task<JsonDocument> SendContentAsync(HttpMethod method, string path, QwenAccount? account, HttpContent? content, string? chatId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path).WithAccount(account, chatId);
        request.Content = content;

        using var span = UpstreamTracing.Start(method.Method, path, account?.Id);
        var waitStarted = time.GetTimestamp();
        var outcome = "transport_error";
        try
        {
            var document = await SendAndReadAsync(request, method, path, cancellationToken);
            outcome = "success";
            return document;
        }
        catch (QwenUpstreamException ex)
        {
            outcome = ex.Kind.ToString();
            throw;
        }
        finally
        {
            RequestTelemetry.Current?.AddUpstreamWait(waitStarted);
            UpstreamTracing.End(span, outcome);
        }
    }

    private async Task<JsonDocument> SendAndReadAsync(HttpRequestMessage request, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new QwenUpstreamException(UpstreamErrorKind.Transient, "Upstream unreachable: " + ex.HttpRequestError, ex);
        }
        catch (TimeoutRejectedException ex)
        {
            // The resilience pipeline's attempt or total timeout.
            throw new QwenUpstreamException(UpstreamErrorKind.Timeout, "Upstream request timed out", ex);
        }
        catch (ExecutionRejectedException ex)
        {
            // The resilience circuit breaker is open after repeated upstream failures.
            throw new QwenUpstreamException(UpstreamErrorKind.Transient, "Upstream calls are paused after repeated failures", ex);
        }
        catch (TimeoutException ex)
        {
            throw new QwenUpstreamException(UpstreamErrorKind.Timeout, "Upstream request timed out", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new QwenUpstreamException(UpstreamErrorKind.Timeout, "Upstream request timed out", ex);
        }

        using (response)
        {
            var text = await ReadBoundedAsync(response.Content, cancellationToken);
            if (ErrorIn(response, text) is { } error)
            {
                Log.UpstreamError(logger, method.Method, request.RequestUri?.AbsolutePath ?? path, error.Kind.ToString(), error.UpstreamStatus, UpstreamText.Redact(error.Message));
                throw error;
            }

            return ParseJson(text);
        }
    }

    /// <summary>The upstream error a read answer carries (often inside HTTP 200), or null for a success.</summary>
    internal static QwenUpstreamException? ErrorIn(HttpResponseMessage response, string text) =>
        UpstreamErrorClassifier.Classify(response.StatusCode, ActualStatus(response), response.Content.Headers.ContentType?.MediaType, text);

    internal static JsonDocument ParseJson(string text)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new QwenUpstreamException(UpstreamErrorKind.Transient, "Upstream answered with invalid JSON.", ex);
        }
    }

    internal static int? ActualStatus(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-actual-status-code", out var values) && int.TryParse(values.FirstOrDefault(), out var code) ? code : null;

    internal static async Task<string> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        // Rented and grown on demand: most answers are a few hundred bytes, and a fixed buffer of the cap's size would
        // land on the large-object heap on every call.
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        var length = 0;
        try
        {
            int n;
            while (length < MaxBodyBytes && (n = await stream.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, MaxBodyBytes) - length), cancellationToken)) > 0)
            {
                length += n;
                if (length == buffer.Length && length < MaxBodyBytes)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxBodyBytes));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }

            var text = buffer.AsSpan(0, length);
            return Encoding.UTF8.GetString(text.StartsWith(Encoding.UTF8.Preamble) ? text[Encoding.UTF8.Preamble.Length..] : text);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
