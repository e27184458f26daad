using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QwenFunctions.Chat.Continuation;
using QwenFunctions.Chat.Tools;
using QwenFunctions.Configuration;
using QwenFunctions.Http;
using QwenFunctions.State;
using QwenFunctions.Upstream;

namespace QwenFunctions.Chat;

/// <summary>
/// Answers one chat turn on any surface, streamed (real SSE: each upstream delta is written and flushed as it
/// arrives) or whole; the surface's <see cref="IChatFormat"/> decides the wire shape. Errors before the first byte
/// propagate as <see cref="ApiException"/> (real status codes, in the route family's error shape); after it they
/// become the format's in-band error event and the stream never ends as if it had succeeded. A stateless history that
/// extends an answer of ours continues that upstream chat (<see cref="StatelessContinuation"/>); if that fails before
/// anything was sent, the whole history is folded as usual.
/// </summary>
public sealed class ChatResponder(
    ChatService chats,
    StatelessContinuation continuation,
    IEnumerable<IChatEventFilter> filters,
    ClientLimiter limiter,
    IOptionsMonitor<QwenOptions> qwen,
    TimeProvider time,
    ILogger<ChatResponder> logger)
{
    public Task RespondAsync(HttpContext http, ChatTurn turn, IChatFormat format, CancellationToken cancellationToken)
    {
        // Validate first: a refused history must not cost an upstream call, a stream slot or the model list.
        var prompt = ChatPrompt.For(turn);
        return turn.Stream
            ? StreamAsync(http, turn, prompt, format, cancellationToken)
            : RespondWholeAsync(http, turn, prompt, format, cancellationToken);
    }

    private async Task RespondWholeAsync(HttpContext http, ChatTurn turn, ChatPrompt prompt, IChatFormat format, CancellationToken cancellationToken)
    {
        var (answer, accountId) = await CollectAsync(turn, prompt, cancellationToken);
        await continuation.RememberAsync(turn, answer, accountId);
        http.Response.StatusCode = (int)HttpStatusCode.OK;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(format.Whole(answer), cancellationToken);
    }

    /// <summary>
    /// A whole answer. Nothing has reached the client while it is collected, so an answer the upstream breaks off
    /// mid-way is asked for once more in a new upstream chat (on the next account in turn) instead of failing. A turn
    /// that continues a conversation is not repeated: its chat now holds the broken answer.
    /// </summary>
    private async Task<(ChatAnswer Answer, string AccountId)> CollectAsync(ChatTurn turn, ChatPrompt prompt, CancellationToken cancellationToken)
    {
        if (await continuation.TryPrepareAsync(turn, cancellationToken) is { } continued)
        {
            try
            {
                return await CollectOnceAsync(continued, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Nothing reached the client: a gone chat, a busy account or a broken answer all just mean folding.
                continuation.FellBack(continued.Turn.ChatId, ex);
            }
        }

        // Prepared once: asking again must not fetch the attachments again.
        var prepared = await chats.PrepareAsync(turn, prompt, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await CollectOnceAsync(prepared, cancellationToken);
            }
            catch (QwenUpstreamException ex)
            {
                if (attempt == 1 && turn.ChatId is null && ex.Kind is UpstreamErrorKind.StreamInterrupted or UpstreamErrorKind.Timeout or UpstreamErrorKind.Transient)
                {
                    Log.AnswerRetried(logger, ex.Kind.ToString());
                    continue;
                }

                throw UpstreamFailurePolicy.ToApiException(ex);
            }
            catch (ApiException ex) when (ex.Code == ToolCallFilter.MissingCallCode && attempt == 1 && turn.ChatId is null)
            {
                // A forced tool choice answered in prose: nothing was sent yet, so the model gets one more chance.
                Log.AnswerRetried(logger, ex.Code);
            }
        }
    }

    private async Task<(ChatAnswer, string)> CollectOnceAsync(PreparedTurn prepared, CancellationToken cancellationToken)
    {
        await using var session = await chats.OpenAsync(prepared, cancellationToken);
        var answer = new ChatAnswer.Builder(session.Info);
        await foreach (var ev in ReadAsync(prepared.Turn, session, cancellationToken))
        {
            answer.Add(ev);
        }

        return (answer.Build(), session.Account.Id);
    }

    /// <summary>Opens a streamed answer: continuing the chat a stateless history extends, or (failing that) folded.</summary>
    private async Task<ChatSession> OpenAsync(ChatTurn turn, ChatPrompt prompt, CancellationToken cancellationToken)
    {
        if (await continuation.TryPrepareAsync(turn, cancellationToken) is { } continued)
        {
            try
            {
                return await chats.OpenAsync(continued, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                continuation.FellBack(continued.Turn.ChatId, ex);
            }
        }

        return await chats.OpenAsync(turn, prompt, cancellationToken);
    }

    private async Task StreamAsync(HttpContext http, ChatTurn turn, ChatPrompt prompt, IChatFormat format, CancellationToken cancellationToken)
    {
        // The client's concurrent-stream slot is held until the last event is written (429 before anything starts).
        await using var slot = await limiter.AcquireStreamAsync(HttpPipeline.ApiKeyId(http), cancellationToken);
        await using var sse = new SseWriter(http.Response, time, qwen.CurrentValue.Timeouts.KeepAlive, format.Heartbeat);
        ChatSession session;
        try
        {
            session = await OpenAsync(turn, prompt, cancellationToken);
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
            await WriteFailureAsync(sse, format, ToApiException(ex), cancellationToken);
            return;
        }

        await using (session)
        {
            await PumpAsync(sse, turn, session, format, cancellationToken);
        }
    }

    /// <summary>The answer's events through every filter, up to the first <see cref="ChatFinished"/> (a filter may end early).</summary>
    private async IAsyncEnumerable<ChatEvent> ReadAsync(ChatTurn turn, ChatSession session, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = session.ReadAsync(cancellationToken);
        foreach (var filter in filters)
        {
            events = filter.FilterAsync(turn, events, cancellationToken);
        }

        await foreach (var ev in events.WithCancellation(cancellationToken))
        {
            yield return ev;
            if (ev is ChatFinished)
            {
                yield break;
            }
        }
    }

    private async Task PumpAsync(SseWriter sse, ChatTurn turn, ChatSession session, IChatFormat format, CancellationToken cancellationToken)
    {
        // Kept beside the stream only to remember what the client saw (the next turn of a stateless history sends it back).
        var answer = new ChatAnswer.Builder(session.Info);
        try
        {
            await foreach (var ev in ReadAsync(turn, session, cancellationToken))
            {
                if (ev is ChatKeepAlive && format.Heartbeat is null)
                {
                    await sse.WriteKeepAliveAsync(cancellationToken);
                    continue;
                }

                answer.Add(ev);
                if (ev is ChatFinished)
                {
                    // Before the end marker: a client may send its next turn the moment it reads it.
                    await continuation.RememberAsync(turn, answer.Build(), session.Account.Id);
                }

                foreach (var frame in format.Stream(ev))
                {
                    await sse.WriteAsync(frame, cancellationToken);
                }

                if (format.Ended)
                {
                    break; // disposing the session tells the upstream to stop
                }
            }
        }
        catch (QwenUpstreamException ex)
        {
            Log.StreamFailed(logger, session.ChatId, ex.Kind.ToString());
            await WriteFailureAsync(sse, format, UpstreamFailurePolicy.ToApiException(ex), cancellationToken);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            Log.ClientGone(logger);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A started stream must still end with an error event, or the client takes the truncation for success.
            await WriteFailureAsync(sse, format, ToApiException(ex, session.ChatId), cancellationToken);
        }
    }

    private async Task WriteFailureAsync(SseWriter sse, IChatFormat format, ApiException error, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var frame in format.Stream(new ChatFailed(error)))
            {
                await sse.WriteAsync(frame, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
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
