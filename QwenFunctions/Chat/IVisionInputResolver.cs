using System.Text.Json.Nodes;
using QwenFunctions.Accounts;

namespace QwenFunctions.Chat;

/// <summary>
/// Turns client image inputs (https URLs or data: URLs) into upstream <c>files[]</c> entries on the account that will
/// send the message (uploads belong to that account). Called before anything else goes upstream for the turn.
/// </summary>
public interface IVisionInputResolver
{
    Task<IReadOnlyList<JsonObject>> ResolveAsync(QwenAccount account, IReadOnlyList<string> imageUrls, CancellationToken cancellationToken);

    /// <summary>Document inputs (uploaded file ids, URLs, data: URIs) as <c>files[]</c> entries on <paramref name="account"/>.</summary>
    Task<IReadOnlyList<JsonObject>> ResolveFilesAsync(QwenAccount account, IReadOnlyList<string> fileRefs, CancellationToken cancellationToken);
}
