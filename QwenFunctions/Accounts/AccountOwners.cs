using System.Net;
using QwenFunctions.Http;

namespace QwenFunctions.Accounts;

/// <summary>
/// Which account owns an upstream conversation or an uploaded file: work on either must run there. The one place chat,
/// images and the vision input resolver ask, so the 404/400/409 answers are the same everywhere.
/// </summary>
public sealed class AccountOwners(IAccountBindingStore bindings, AccountPool pool)
{
    /// <exception cref="ApiException">404 conversation_not_found when no account is bound to it (with several accounts).</exception>
    public async Task<string> OfConversationAsync(string chatId, CancellationToken cancellationToken)
    {
        if (await bindings.FindAccountAsync(BindingKind.Conversation, chatId, cancellationToken) is { } owner)
        {
            return owner;
        }

        // With one account there is no doubt which account owns the chat (e.g. a chat made before a restart), but with
        // API keys there is a doubt whose chat it is: an id the caller never bound is unknown.
        return pool.Accounts.Count == 1 && RequestCaller.IsAnonymous
            ? pool.Accounts[0].Id
            : throw new ApiException(HttpStatusCode.NotFound, "invalid_request_error", "conversation_not_found",
                $"Conversation '{chatId}' is unknown here (it was not created through this service, or has expired); start a new conversation.", "chatId");
    }

    /// <summary>The owner of an uploaded file, checked against the account the work is already bound to (if any).</summary>
    /// <exception cref="ApiException">400 file_not_found for an unknown id; 409 file_account_mismatch for another account's file.</exception>
    public async Task<string> OfFileAsync(string fileId, string? boundAccountId, string param, CancellationToken cancellationToken)
    {
        var owner = await bindings.FindAccountAsync(BindingKind.File, fileId, cancellationToken) ?? throw UnknownFile(fileId, param);
        return boundAccountId is not null && owner != boundAccountId ? throw FileAccountMismatch(fileId) : owner;
    }

    public static ApiException FileAccountMismatch(string fileId) =>
        new(HttpStatusCode.Conflict, "invalid_request_error", "file_account_mismatch",
            $"File '{fileId}' was uploaded with a different upstream account than this conversation (or another file) uses; upload it again in this conversation.");

    /// <summary>The account a turn must run on: the conversation's owner, narrowed by every uploaded file it references (null: any).</summary>
    /// <param name="chatOwner">The owner of <paramref name="chatId"/> when the caller already knows it.</param>
    public async Task<string?> OfTurnAsync(string? chatId, IEnumerable<string> attachments, CancellationToken cancellationToken, string? chatOwner = null)
    {
        var bound = chatId is null ? null : chatOwner ?? await OfConversationAsync(chatId, cancellationToken);
        foreach (var fileId in attachments.Where(IsUploadedFileId))
        {
            bound = await OfFileAsync(fileId.Trim(), bound, "messages", cancellationToken);
        }

        return bound;
    }

    public static ApiException UnknownFile(string fileId, string param) =>
        ApiException.BadRequest($"Unknown file id '{fileId}': upload it with POST /api/files/upload first, or pass its URL.", param, "file_not_found");

    /// <summary>Neither a URL nor a data: URI: an id returned by a file upload, owned by one account.</summary>
    public static bool IsUploadedFileId(string reference)
    {
        var trimmed = reference.Trim();
        return !trimmed.StartsWith("data:", StringComparison.OrdinalIgnoreCase)
            && !(Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps));
    }
}
