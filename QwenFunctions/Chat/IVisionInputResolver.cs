using System.Net;
using System.Text.Json.Nodes;
using QwenFunctions.Accounts;
using QwenFunctions.Http;

namespace QwenFunctions.Chat;

/// <summary>
/// Turns client image inputs (https URLs or data: URLs) into upstream <c>files[]</c> entries on the account that will
/// send the message (uploads belong to that account). Called before anything else goes upstream for the turn.
/// </summary>
public interface IVisionInputResolver
{
    Task<IReadOnlyList<JsonObject>> ResolveAsync(QwenAccount account, IReadOnlyList<string> imageUrls, CancellationToken cancellationToken);
}

/// <summary>Placeholder until the media service provides uploads: image input is refused with a clear 400.</summary>
public sealed class UnsupportedVisionInputResolver : IVisionInputResolver
{
    public Task<IReadOnlyList<JsonObject>> ResolveAsync(QwenAccount account, IReadOnlyList<string> imageUrls, CancellationToken cancellationToken) =>
        throw new ApiException(HttpStatusCode.BadRequest, "invalid_request_error", "image_input_not_supported",
            "image input not supported yet", "messages");
}
