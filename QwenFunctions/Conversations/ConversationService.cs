using Microsoft.Extensions.Logging;
using QwenFunctions.Accounts;
using QwenFunctions.Models;
using QwenFunctions.Upstream;

namespace QwenFunctions.Conversations;

/// <summary>Creates upstream chats and remembers which account owns each one (later turns must use the same token).</summary>
public sealed class ConversationService(
    ModelCatalog models,
    AccountAttemptRunner runner,
    QwenApiClient api,
    IAccountBindingStore bindings,
    ILogger<ConversationService> logger)
{
    public async Task<string> CreateAsync(string? model, CancellationToken cancellationToken)
    {
        var resolved = await models.ResolveAsync(model, cancellationToken);
        var (chatId, account) = await runner.RunAsync(
            QwenFeature.Chat,
            boundAccountId: null,
            (account, ct) => api.CreateChatAsync(account, resolved.UpstreamId, "t2t", ct),
            cancellationToken);
        await bindings.BindAsync(BindingKind.Conversation, chatId, account.Id, cancellationToken);
        Log.ConversationCreated(logger, chatId, account.Id, resolved.UpstreamId);
        return chatId;
    }
}
