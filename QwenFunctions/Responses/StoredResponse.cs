namespace QwenFunctions.Responses;

/// <summary>
/// A response kept for GET and previous_response_id, scoped to the API key that made it (<see cref="Owner"/>): another
/// key cannot see it, exactly as if it did not exist.
/// </summary>
public sealed record StoredResponse(
    string Id,
    string Owner,
    DateTimeOffset StoredAt,
    string ResponseJson,
    string InputItemsJson,
    ResponseConversation? Conversation);

/// <summary>
/// The upstream conversation a response answered in: a turn with previous_response_id continues this chat after this
/// parent (the chat's own binding sends it to the account that owns it).
/// </summary>
public sealed record ResponseConversation(string ChatId, string ParentId);

public interface IResponseStore
{
    ValueTask SaveAsync(StoredResponse response, CancellationToken cancellationToken);

    /// <summary>Null when unknown, expired or stored by another owner.</summary>
    ValueTask<StoredResponse?> FindAsync(string owner, string id, CancellationToken cancellationToken);

    /// <summary>False when there was nothing of this owner's to delete.</summary>
    ValueTask<bool> DeleteAsync(string owner, string id, CancellationToken cancellationToken);
}
