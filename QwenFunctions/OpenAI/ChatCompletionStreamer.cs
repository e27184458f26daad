using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QwenFunctions.Chat;
using QwenFunctions.Configuration;
using QwenFunctions.Http;
using QwenFunctions.State;
using QwenFunctions.Upstream;

namespace QwenFunctions.OpenAI;

/// <summary>How an answer is rendered.</summary>
public sealed record ChatOutput(ChatOutputStyle Style, string ModelName, bool IncludeUsage);

/// <summary>
/// Sends one chat turn's answer to the client, streamed (real SSE: each upstream delta is written and flushed as it
/// arrives) or whole. Errors before the first byte propagate as <see cref="ApiException"/> (real status codes);
/// after it they become one in-band error event and the stream ends without [DONE].
/// </summary>
public sealed class ChatCompletionStreamer(
    ChatService chats,
    ClientLimiter limiter,
    IOptionsMonitor<ProxyOptions> proxy,
    IOptionsMonitor<QwenOptions> qwen,
    TimeProvider time,
    ILogger<ChatCompletionStreamer> logger)
{
    public async Task CompleteAsync(HttpContext http, ChatTurn turn, ChatOutput output, CancellationToken cancellationToken)
    {
        var (session, answer) = await CollectAsync(turn, cancellationToken);
        await using var _ = session;
        var format = new ChatCompletionFormat(output.Style, session, output.ModelName, false, time.GetUtcNow().ToUnixTimeSeconds());
        http.Response.StatusCode = (int)HttpStatusCode.OK;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(format.Completion(answer, proxy.CurrentValue.ReasoningOutput), cancellationToken);
    }

    /// <summary>
    /// A whole answer. Nothing has reached the client while it is collected, so an answer the upstream breaks off
    /// mid-way is asked for once more in a new upstream chat (on the next account in turn) instead of failing. A turn
    /// that continues a conversation is not repeated: its chat now holds the broken answer.
    /// </summary>
    private async Task<(ChatSession Session, ChatAnswer Answer)> CollectAsync(ChatTurn turn, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var session = await chats.OpenAsync(turn, cancellationToken);
            try
            {
                return (session, await ChatAnswer.CollectAsync(session, cancellationToken));
            }
            catch (QwenUpstreamException ex)
            {
                await session.DisposeAsync();
                if (attempt == 1 && turn.ChatId is null && ex.Kind is UpstreamErrorKind.StreamInterrupted or UpstreamErrorKind.Timeout or UpstreamErrorKind.Transient)
                {
                    Log.AnswerRetried(logger, ex.Kind.ToString());
                    continue;
                }

                throw UpstreamFailurePolicy.ToApiException(ex);
            }
            catch
            {
                await session.DisposeAsync();
                throw;
            }
        }
    }

    public async Task StreamAsync(HttpContext http, ChatTurn turn, ChatOutput output, CancellationToken cancellationToken)
    {
        // The client's concurrent-stream slot is held until the last event is written (429 before anything starts).
        await using var slot = await limiter.AcquireStreamAsync(HttpPipeline.ApiKeyId(http), cancellationToken);
        await using var sse = new SseWriter(http.Response, time, qwen.CurrentValue.Timeouts.KeepAlive);
        ChatSession session;
        try
        {
            session = await chats.OpenAsync(turn, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.ClientGone(logger);
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (await sse.TryAbandonBeforeStartAsync())
            {
                throw; // nothing sent yet: the HTTP pipeline answers with the real status
            }

            // Only heartbeats went out so far, but the status line is sent: the error has to travel in-band.
            await WriteErrorAsync(sse, ToApiException(ex), cancellationToken);
            return;
        }

        await using (session)
        {
            await PumpAsync(sse, session, output, cancellationToken);
        }
    }

    private async Task PumpAsync(SseWriter sse, ChatSession session, ChatOutput output, CancellationToken cancellationToken)
    {
        var format = new ChatCompletionFormat(output.Style, session, output.ModelName, output.IncludeUsage, time.GetUtcNow().ToUnixTimeSeconds());
        var shaper = new ReasoningShaper(proxy.CurrentValue.ReasoningOutput);
        QwenUsage? usage = null;
        try
        {
            await sse.WriteDataAsync(format.RoleChunk(), cancellationToken);
            await foreach (var ev in session.ReadAsync(cancellationToken))
            {
                var delta = ev switch
                {
                    QwenAnswerDelta answer => shaper.Answer(answer.Text),
                    QwenReasoningDelta thought => shaper.Reasoning(thought.Text),
                    QwenImageGenerated image => shaper.Answer(image.Url + "\n"),
                    _ => ((string, string)?)null,
                };
                if (delta is { } d)
                {
                    await sse.WriteDataAsync(format.DeltaChunk(d.Item1, d.Item2), cancellationToken);
                }
                else if (ev is QwenKeepAlive)
                {
                    await sse.WriteKeepAliveAsync(cancellationToken);
                }
                else if (ev is QwenUsage u)
                {
                    usage = u;
                }
            }

            if (shaper.Close() is { Length: > 0 } closing)
            {
                await sse.WriteDataAsync(format.DeltaChunk("content", closing), cancellationToken);
            }

            await sse.WriteDataAsync(format.FinishChunk(usage), cancellationToken);
            if (output.IncludeUsage && output.Style == ChatOutputStyle.OpenAI)
            {
                await sse.WriteDataAsync(format.UsageChunk(usage), cancellationToken);
            }

            await sse.WriteDoneAsync(cancellationToken);
        }
        catch (QwenUpstreamException ex)
        {
            Log.StreamFailed(logger, session.ChatId, ex.Kind.ToString());
            await WriteErrorAsync(sse, UpstreamFailurePolicy.ToApiException(ex), cancellationToken);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            Log.ClientGone(logger);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A started stream must still end with an error event, or the client takes the truncation for success.
            await WriteErrorAsync(sse, ToApiException(ex, session.ChatId), cancellationToken);
        }
    }

    private async Task WriteErrorAsync(SseWriter sse, ApiException error, CancellationToken cancellationToken)
    {
        if (!await sse.TryWriteErrorAsync(error, cancellationToken))
        {
            Log.ClientGone(logger);
        }
    }

    private ApiException ToApiException(Exception ex, string? chatId = null)
    {
        switch (ex)
        {
            case ApiException api:
                return api;
            case QwenUpstreamException upstream:
                return UpstreamFailurePolicy.ToApiException(upstream);
            default:
                Log.StreamCrashed(logger, ex, chatId);
                return new ApiException(HttpStatusCode.InternalServerError, "server_error", "internal_error",
                    "An unexpected error occurred; quote the x-request-id when reporting it.", inner: ex);
        }
    }
}
