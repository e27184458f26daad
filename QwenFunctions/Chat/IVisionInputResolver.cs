using System.Text.Json.Nodes;
using QwenFunctions.Accounts;

namespace QwenFunctions.Chat;

/// <summary>
/// Turns client image and document inputs (https URLs, data: URIs, uploaded file ids) into upstream <c>files[]</c>
/// entries. Fetching happens once per request (<see cref="PrepareAsync"/>); putting the bytes on an account happens per
/// attempt (<see cref="ITurnAttachments.OnAccountAsync"/>), because an upload belongs to the account that made it.
/// </summary>
public interface IVisionInputResolver
{
    /// <summary>The checks that cost nothing: the number of attachment parts, and the size of data: URIs before decoding.</summary>
    /// <exception cref="QwenFunctions.Http.ApiException">400 too_many_attachments; 413 attachments_too_large.</exception>
    void EnsureWithinLimits(IReadOnlyList<string> imageRefs, IReadOnlyList<string> fileRefs);

    /// <summary>
    /// Downloads and decodes every attachment of the turn once, within the per-request byte cap, and looks up the
    /// details of uploaded file ids. Nothing goes upstream.
    /// </summary>
    Task<ITurnAttachments> PrepareAsync(IReadOnlyList<string> imageRefs, IReadOnlyList<string> fileRefs, CancellationToken cancellationToken);
}

/// <summary>A turn's attachments, fetched once and held in memory for the request.</summary>
public interface ITurnAttachments
{
    /// <summary>
    /// The <c>files[]</c> entries on <paramref name="account"/>: buffered bytes it does not hold yet are uploaded there.
    /// Upstream failures propagate, so the chat's attempt runner can rotate and ask again for the next account.
    /// </summary>
    Task<IReadOnlyList<JsonObject>> OnAccountAsync(QwenAccount account, CancellationToken cancellationToken);
}
