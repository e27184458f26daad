using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QwenFunctions.Accounts;
using QwenFunctions.Chat;
using QwenFunctions.Http;

namespace QwenFunctions.Files;

/// <summary>
/// Turns the image and document references of a chat turn (https URLs, data: URIs, uploaded file ids) into what the
/// upstream accepts, on the account the turn runs on: data: URIs and foreign https images are uploaded (once per
/// account and content hash), images already on Qwen's storage pass through, file ids must belong to that account.
/// </summary>
public sealed class VisionInputResolver(
    FileUploadService uploads,
    SafeDownloader downloader,
    UploadedFileCatalog catalog,
    AccountOwners owners,
    IOptionsMonitor<FilesOptions> options,
    ILogger<VisionInputResolver> logger) : IVisionInputResolver
{
    /// <summary>
    /// The chat pipeline's seam: image references (https, data: or uploaded file ids) for a turn that runs on
    /// <paramref name="account"/>. Uploads go to that account directly; upstream failures propagate so the chat's own
    /// attempt runner can rotate (and this is called again for the next account).
    /// </summary>
    public Task<IReadOnlyList<JsonObject>> ResolveAsync(QwenAccount account, IReadOnlyList<string> imageUrls, CancellationToken cancellationToken) =>
        ResolveOnAccountAsync(account, imageUrls, image: true, cancellationToken);

    /// <summary>The same for document parts: file ids must belong to <paramref name="account"/>; URLs and data: URIs are uploaded.</summary>
    public Task<IReadOnlyList<JsonObject>> ResolveFilesAsync(QwenAccount account, IReadOnlyList<string> fileRefs, CancellationToken cancellationToken) =>
        ResolveOnAccountAsync(account, fileRefs, image: false, cancellationToken);

    private async Task<IReadOnlyList<JsonObject>> ResolveOnAccountAsync(QwenAccount account, IReadOnlyList<string> references, bool image, CancellationToken cancellationToken)
    {
        var entries = new List<JsonObject>();
        foreach (var reference in references)
        {
            var attachment = Classify(reference, image);
            switch (attachment.Source)
            {
                case Source.Trusted:
                    entries.Add(PassThroughEntry(attachment));
                    break;
                case Source.FileId:
                    entries.Add((await FindUploadAsync(attachment, account.Id, cancellationToken)).ToUpstreamEntry());
                    break;
                default:
                    var prepared = await PrepareAsync(attachment, cancellationToken);
                    var file = catalog.FindByContent(account.Id, prepared.Hash);
                    if (file is not null)
                    {
                        Log.VisionCacheHit(logger, file.FileId, account.Id);
                    }

                    file ??= await uploads.UploadOnAccountAsync(account, prepared.Name, prepared.ContentType, prepared.Content, prepared.Hash, cancellationToken);
                    entries.Add(file.ToUpstreamEntry());
                    break;
            }
        }

        return entries;
    }

    private Attachment Classify(string? reference, bool image)
    {
        var param = image ? "image_url" : "file";
        if (string.IsNullOrWhiteSpace(reference))
        {
            throw ApiException.BadRequest($"A{(image ? "n image" : " file")} part has no URL or file id.", param, "invalid_content_part");
        }

        reference = reference.Trim();
        if (reference.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return new Attachment(Source.DataUri, reference, image);
        }

        if (Uri.TryCreate(reference, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            return new Attachment(IsTrustedHost(uri.Host) ? Source.Trusted : Source.Remote, reference, image);
        }

        return new Attachment(Source.FileId, reference, image);
    }

    private async Task<UploadedFile> FindUploadAsync(Attachment attachment, string accountId, CancellationToken cancellationToken)
    {
        await owners.OfFileAsync(attachment.Reference, accountId, attachment.Image ? "image_url" : "file", cancellationToken);
        return catalog.FindById(attachment.Reference) ?? throw AccountOwners.UnknownFile(attachment.Reference, attachment.Image ? "image_url" : "file");
    }

    /// <summary>The bytes of a data: URI or remote image, its type, a name and the content hash the upload cache uses.</summary>
    private async Task<(ChunkedBuffer Content, string ContentType, string Name, string Hash)> PrepareAsync(Attachment attachment, CancellationToken cancellationToken)
    {
        var param = attachment.Image ? "image_url" : "file";
        var (content, declaredType) = attachment.Source == Source.DataUri
            ? InlineImages.DecodeDataUri(attachment.Reference, options.CurrentValue.MaxDownloadBytes, param)
            : await DownloadAsync(attachment.Reference, param, cancellationToken);
        var contentType = declaredType is { Length: > 0 } && declaredType != "application/octet-stream"
            ? declaredType.ToLowerInvariant()
            : InlineImages.SniffImageType(content) ?? "application/octet-stream";
        if (attachment.Image && !contentType.StartsWith("image/", StringComparison.Ordinal))
        {
            throw ApiException.BadRequest($"The image part is not an image (got '{contentType}').", param, "invalid_image");
        }

        var hash = content.Sha256Hex();
        return (content, contentType, $"image-{hash[..12]}{FileKinds.ExtensionFor(contentType)}", hash);
    }

    private async Task<(ChunkedBuffer, string?)> DownloadAsync(string url, string param, CancellationToken cancellationToken)
    {
        try
        {
            var downloaded = await downloader.DownloadAsync(new Uri(url), param, cancellationToken);
            return (downloaded.Content, downloaded.ContentType);
        }
        catch (ApiException ex) when (ex.Code == "image_url_not_allowed")
        {
            Log.DownloadRefused(logger, new Uri(url).Host, ex.Code);
            throw;
        }
    }

    private bool IsTrustedHost(string host) => options.CurrentValue.TrustedImageHostList.Any(pattern =>
        pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(host, pattern, StringComparison.OrdinalIgnoreCase));

    private static JsonObject PassThroughEntry(Attachment attachment)
    {
        var name = Path.GetFileName(new Uri(attachment.Reference).AbsolutePath) is { Length: > 0 } n ? n : "image.png";
        var contentType = FileKinds.ResolveContentType(null, name);
        var kind = attachment.Image ? FileKind.Image : FileKinds.KindOf(contentType, name);
        return new UploadedFile("", name, attachment.Reference, 0, kind == FileKind.Image && !contentType.StartsWith("image/", StringComparison.Ordinal) ? "image/png" : contentType, "")
            .ToUpstreamEntry();
    }

    private enum Source
    {
        DataUri,
        Remote,
        Trusted,
        FileId,
    }

    private sealed record Attachment(Source Source, string Reference, bool Image);
}
