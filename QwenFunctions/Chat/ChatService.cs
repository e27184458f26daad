using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QwenFunctions.Accounts;
using QwenFunctions.Configuration;
using QwenFunctions.Http;
using QwenFunctions.Models;
using QwenFunctions.Upstream;

namespace QwenFunctions.Chat;

/// <summary>
/// Opens an upstream answer for one turn: resolves the model, picks the account (the conversation's owner when
/// continuing), creates the chat when needed, and retries across accounts until the first content event arrives.
/// Nothing reaches the client before that, so retrying is always safe here.
/// </summary>
public sealed class ChatService(
    AccountAttemptRunner runner,
    AccountOwners owners,
    IAccountBindingStore bindings,
    QwenApiClient api,
    QwenChatClient chat,
    ModelCatalog models,
    IVisionInputResolver vision,
    UpstreamMessageLimit messageLimit,
    TimeProvider time,
    ILogger<ChatService> logger)
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    /// <param name="prompt">The turn's upstream message (<see cref="ChatPrompt.For"/>), built by the caller before anything is spent.</param>
    public async Task<ChatSession> OpenAsync(ChatTurn turn, ChatPrompt prompt, CancellationToken cancellationToken) =>
        await OpenAsync(await PrepareAsync(turn, prompt, cancellationToken), cancellationToken);

    /// <summary>
    /// Everything a turn needs before its first attempt, done once per request: the checks (cheapest first, so a
    /// refused request costs neither downloads nor an upstream call), the owner accounts, the attachments' bytes and
    /// the model. A retry (another account, or a whole answer asked for again) reuses it.
    /// </summary>
    /// <param name="chatOwner">The account known to own <see cref="ChatTurn.ChatId"/> (a continued stateless history): no binding lookup.</param>
    public async Task<PreparedTurn> PrepareAsync(ChatTurn turn, ChatPrompt prompt, CancellationToken cancellationToken, string? chatOwner = null)
    {
        // Size first: the model lookup may call the upstream (a cold model list) for a request that is refused anyway.
        EnsureWithinUpstreamLimit(turn, prompt, turn.RequestedModel ?? "", turn.Thinking ?? false);
        vision.EnsureWithinLimits(prompt.ImageUrls, prompt.FileRefs);
        var boundAccountId = await owners.OfTurnAsync(turn.ChatId, prompt.Attachments, cancellationToken, chatOwner);
        var attachments = await vision.PrepareAsync(prompt.ImageUrls, prompt.FileRefs, cancellationToken);
        var model = await models.ResolveAsync(turn.RequestedModel, cancellationToken);
        var thinking = turn.Thinking ?? model.Thinking;
        EnsureWithinUpstreamLimit(turn, prompt, model.UpstreamId, thinking);
        var modelName = string.IsNullOrWhiteSpace(turn.RequestedModel) ? model.RequestedName : turn.RequestedModel;
        return new PreparedTurn(turn, prompt, model with { Thinking = thinking }, modelName, boundAccountId, attachments);
    }

    /// <summary>Opens an answer, on the bound account or on the pool's accounts in turn until one starts answering.</summary>
    public async Task<ChatSession> OpenAsync(PreparedTurn prepared, CancellationToken cancellationToken)
    {
        var (session, _) = await runner.RunAsync(QwenFeature.Chat, prepared.BoundAccountId,
            (account, ct) => OpenOnAccountAsync(account, prepared, ct), cancellationToken);
        return session;
    }

    private async Task<ChatSession> OpenOnAccountAsync(QwenAccount account, PreparedTurn prepared, CancellationToken cancellationToken)
    {
        var (turn, prompt, model, modelName) = (prepared.Turn, prepared.Prompt, prepared.Model, prepared.ModelName);

        // Step 1: images and documents first: uploads belong to this account, and a refusal costs no upstream chat.
        // The bytes were fetched once for the request; only the upload is per account.
        var files = await prepared.Attachments.OnAccountAsync(account, cancellationToken);

        // Step 2: a new upstream chat belongs to this account from now on.
        var chatId = turn.ChatId;
        if (chatId is null)
        {
            chatId = await api.CreateChatAsync(account, model.UpstreamId, "t2t", cancellationToken);
            await bindings.BindAsync(BindingKind.Conversation, chatId, account.Id, cancellationToken);
        }

        // Step 3: open the stream and read until the first content event; upstream errors before it are retried by the runner.
        var request = new QwenCompletionRequest(chatId, model.UpstreamId, prompt.Text) { ParentId = turn.ParentId, Thinking = model.Thinking, Files = files };
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
                    var info = new ChatAnswerInfo(responseId ?? Guid.NewGuid().ToString(), chatId, modelName, time.GetUtcNow());
                    return new ChatSession(account, info, model, buffered, events, StopAsync);
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

    private void EnsureWithinUpstreamLimit(ChatTurn turn, ChatPrompt prompt, string model, bool thinking)
    {
        var probe = new QwenCompletionRequest(UpstreamMessageLimit.IdPlaceholder, model, prompt.Text)
        {
            ParentId = turn.ParentId ?? UpstreamMessageLimit.IdPlaceholder, Thinking = thinking,
        };
        if (messageLimit.Measure(probe) is (var bytes, TooLarge: true))
        {
            var limit = messageLimit.Limit;
            throw new ApiException(HttpStatusCode.BadRequest, "invalid_request_error", "context_length_exceeded",
                $"The conversation is too long for the upstream: the message would be {bytes} bytes, over the {limit}-byte limit. Shorten the history or start a new conversation.",
                turn.HistoryParam);
        }
    }
}

/// <summary>A turn checked and ready to open on any account: model, owner account and the attachments, fetched once.</summary>
public sealed record PreparedTurn(ChatTurn Turn, ChatPrompt Prompt, ResolvedModel Model, string ModelName, string? BoundAccountId, ITurnAttachments Attachments);
