using System.Text.Json.Nodes;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QwenFunctions.Accounts;
using QwenFunctions.Configuration;
using QwenFunctions.Http;
using QwenFunctions.Upstream;

using QwenFunctions.Models;

namespace QwenFunctions.Chat;

/// <summary>
/// Opens an upstream answer for one turn: resolves the model, picks the account (the conversation's owner when
/// continuing), creates the chat when needed, and retries across accounts until the first content event arrives.
/// Nothing reaches the client before that, so retrying is always safe here.
/// </summary>
public sealed class ChatService(
    AccountAttemptRunner runner,
    AccountPool pool,
    IAccountBindingStore bindings,
    QwenApiClient api,
    QwenChatClient chat,
    ModelCatalog models,
    IVisionInputResolver vision,
    IOptionsMonitor<ProxyOptions> proxy,
    TimeProvider time,
    ILogger<ChatService> logger)
{
    // A fixed-length placeholder: chat ids are UUIDs, so the measured body is the one that will be sent.
    private const string ChatIdPlaceholder = "00000000-0000-0000-0000-000000000000";
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    public async Task<ChatSession> OpenAsync(ChatTurn turn, CancellationToken cancellationToken)
    {
        var model = await models.ResolveAsync(turn.RequestedModel, cancellationToken);
        var thinking = turn.Thinking ?? model.Thinking;
        EnsureWithinUpstreamLimit(turn, model.UpstreamId, thinking);
        var boundAccountId = turn.ChatId is null ? null : await FindOwnerAsync(turn.ChatId, cancellationToken);
        boundAccountId = await FindFileOwnerAsync(turn, boundAccountId, cancellationToken);

        var (session, _) = await runner.RunAsync(QwenFeature.Chat, boundAccountId,
            (account, ct) => OpenOnAccountAsync(account, turn, model with { Thinking = thinking }, ct), cancellationToken);
        return session;
    }

    private async Task<ChatSession> OpenOnAccountAsync(QwenAccount account, ChatTurn turn, ResolvedModel model, CancellationToken cancellationToken)
    {
        // Step 1: images first; the default resolver refuses them before anything is created upstream.
        var files = new List<JsonObject>();
        if (turn.ImageUrls.Count > 0)
        {
            files.AddRange(await vision.ResolveAsync(account, turn.ImageUrls, cancellationToken));
        }

        if (turn.FileRefs.Count > 0)
        {
            files.AddRange(await vision.ResolveFilesAsync(account, turn.FileRefs, cancellationToken));
        }

        // Step 2: a new upstream chat belongs to this account from now on.
        var chatId = turn.ChatId;
        if (chatId is null)
        {
            chatId = await api.CreateChatAsync(account, model.UpstreamId, "t2t", cancellationToken);
            await bindings.BindAsync(BindingKind.Conversation, chatId, account.Id, cancellationToken);
        }

        // Step 3: open the stream and read until the first content event; upstream errors before it are retried by the runner.
        var request = new QwenCompletionRequest(chatId, model.UpstreamId, turn.Prompt) { ParentId = turn.ParentId, Thinking = model.Thinking, Files = files };
        var events = chat.StreamAsync(account, request, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var buffered = new List<QwenStreamEvent>();
        string? responseId = null;
        try
        {
            while (await events.MoveNextAsync())
            {
                var ev = events.Current;
                buffered.Add(ev);
                if (ev is QwenResponseCreated created && created.ResponseId.Length > 0)
                {
                    responseId = created.ResponseId;
                }
                else if (ev is QwenAnswerDelta or QwenReasoningDelta or QwenImageGenerated or QwenAnswerFinished)
                {
                    Log.AnswerStarted(logger, account.Id, chatId, model.UpstreamId);
                    return new ChatSession(account, chatId, responseId ?? Guid.NewGuid().ToString(), model, buffered, events, StopAsync);
                }
            }

            throw new QwenUpstreamException(UpstreamErrorKind.EmptyStream, "The upstream stream carried no answer.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await events.DisposeAsync();
            await StopCoreAsync(account, chatId, responseId);
            throw;
        }
        catch
        {
            await events.DisposeAsync();
            throw;
        }
    }

    private Task StopAsync(ChatSession session) => StopCoreAsync(session.Account, session.ChatId, session.ResponseId);

    private async Task StopCoreAsync(QwenAccount account, string chatId, string? responseId)
    {
        Log.StoppingUpstream(logger, account.Id, chatId);
        using var timeout = new CancellationTokenSource(StopTimeout, time);
        await api.StopAsync(account, chatId, responseId, timeout.Token);
    }

    private async Task<string> FindOwnerAsync(string chatId, CancellationToken cancellationToken)
    {
        var owner = await bindings.FindAccountAsync(BindingKind.Conversation, chatId, cancellationToken);
        if (owner is not null)
        {
            return owner;
        }

        // With one account there is no doubt who owns the chat (e.g. a chat made before a restart).
        if (pool.Accounts.Count == 1)
        {
            return pool.Accounts[0].Id;
        }

        throw new ApiException(HttpStatusCode.NotFound, "invalid_request_error", "conversation_not_found",
            $"Conversation '{chatId}' is unknown here (it was not created through this service, or has expired); start a new conversation.", "chatId");
    }

    /// <summary>An uploaded file lives in the account that uploaded it: the turn must run there (and so must its conversation).</summary>
    private async Task<string?> FindFileOwnerAsync(ChatTurn turn, string? boundAccountId, CancellationToken cancellationToken)
    {
        foreach (var fileId in turn.ImageUrls.Concat(turn.FileRefs).Where(AttachmentReference.IsUploadedFileId))
        {
            var owner = await bindings.FindAccountAsync(BindingKind.File, fileId.Trim(), cancellationToken)
                ?? throw ApiException.BadRequest($"Unknown file id '{fileId}': upload it with POST /api/files/upload first, or pass its URL.", "messages", "file_not_found");
            if (boundAccountId is not null && owner != boundAccountId)
            {
                throw new ApiException(HttpStatusCode.Conflict, "invalid_request_error", "file_account_mismatch",
                    $"File '{fileId}' was uploaded with a different upstream account than this conversation (or another file) uses; upload it again in this conversation.");
            }

            boundAccountId = owner;
        }

        return boundAccountId;
    }

    private void EnsureWithinUpstreamLimit(ChatTurn turn, string model, bool thinking)
    {
        var limit = proxy.CurrentValue.MaxUpstreamMessageBytes;
        var probe = new QwenCompletionRequest(ChatIdPlaceholder, model, turn.Prompt) { ParentId = turn.ParentId ?? ChatIdPlaceholder, Thinking = thinking };
        var bytes = Encoding.UTF8.GetByteCount(QwenPayloads.Completion(probe, time.GetUtcNow()).ToJsonString());
        if (bytes > limit)
        {
            throw new ApiException(HttpStatusCode.BadRequest, "invalid_request_error", "context_length_exceeded",
                $"The conversation is too long for the upstream: the message would be {bytes} bytes, over the {limit}-byte limit. Shorten the history or start a new conversation.",
                "messages");
        }
    }
}
