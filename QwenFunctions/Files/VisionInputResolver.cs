using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QwenFunctions.Accounts;
using QwenFunctions.Chat;
using QwenFunctions.Http;

namespace QwenFunctions.Files;

/// <summary>
/// Turns the image and document references of a chat turn (https URLs, data: URIs, uploaded file ids) into what the
/// upstream accepts. Once per request: the caps are checked, data: URIs decoded, foreign https images downloaded and
/// file ids looked up. Per account the turn runs on: the buffered bytes are uploaded there (once per account and
/// content hash), images already on Qwen's storage pass through, file ids must belong to that account.
/// </summary>
public sealed class VisionInputResolver(
    FileUploadService uploads,
    SafeDownloader downloader,
    UploadedFileCatalog catalog,
    IOptionsMonitor<FilesOptions> options,
    ILogger<VisionInputResolver> logger) : IVisionInputResolver
{
    public const string TooManyCode = "too_many_attachments";
    public const string TooLargeCode = "attachments_too_large";

    public void EnsureWithinLimits(IReadOnlyList<string> imageRefs, IReadOnlyList<string> fileRefs)
    {
        var max = options.CurrentValue.MaxAttachmentsPerRequest;
        var count = imageRefs.Count + fileRefs.Count;
        if (count > max)
        {
            throw ApiException.BadRequest(
                $"The message carries {count} image and file parts; at most {max} are accepted per request (Files:MaxAttachmentsPerRequest).",
                "messages", TooManyCode);
        }
    }

    public async Task<ITurnAttachments> PrepareAsync(IReadOnlyList<string> imageRefs, IReadOnlyList<string> fileRefs, CancellationToken cancellationToken)
    {
        EnsureWithinLimits(imageRefs, fileRefs);
        var left = options.CurrentValue.MaxAttachmentBytesPerRequest;
        var items = new List<Prepared>(imageRefs.Count + fileRefs.Count);
        foreach (var (reference, image) in imageRefs.Select(r => (r, true)).Concat(fileRefs.Select(r => (r, false))))
        {
            var attachment = Classify(reference, image);
            switch (attachment.Source)
            {
                case Source.Trusted:
                    items.Add(new Prepared(attachment, null, null));
                    break;
                case Source.FileId:
                    items.Add(new Prepared(attachment, await FindUploadAsync(attachment, cancellationToken), null));
                    break;
                default:
                    var fetched = await FetchAsync(attachment, left, cancellationToken);
                    left -= fetched.Content.Length;
                    items.Add(new Prepared(attachment, null, fetched));
                    break;
            }
        }

        return new TurnAttachments(this, items);
    }

    /// <summary>Image references for a turn on <paramref name="account"/>: prepared and put on it in one go.</summary>
    public async Task<IReadOnlyList<JsonObject>> ResolveAsync(QwenAccount account, IReadOnlyList<string> imageUrls, CancellationToken cancellationToken) =>
        await (await PrepareAsync(imageUrls, [], cancellationToken)).OnAccountAsync(account, cancellationToken);

    /// <summary>The same for document parts: file ids must belong to <paramref name="account"/>; URLs and data: URIs are uploaded.</summary>
    public async Task<IReadOnlyList<JsonObject>> ResolveFilesAsync(QwenAccount account, IReadOnlyList<string> fileRefs, CancellationToken cancellationToken) =>
        await (await PrepareAsync([], fileRefs, cancellationToken)).OnAccountAsync(account, cancellationToken);

    private async Task<JsonObject> EntryOnAccountAsync(Prepared item, QwenAccount account, CancellationToken cancellationToken)
    {
        if (item.Stored is { } stored)
        {
            return stored.AccountId == account.Id ? stored.ToUpstreamEntry() : throw AccountOwners.FileAccountMismatch(stored.FileId);
        }

        if (item.Fetched is not { } fetched)
        {
            return PassThroughEntry(item.Attachment);
        }

        var file = catalog.FindByContent(account.Id, fetched.Hash);
        if (file is not null)
        {
            Log.VisionCacheHit(logger, file.FileId, account.Id);
        }

        file ??= await uploads.UploadOnAccountAsync(account, fetched.Name, fetched.ContentType, fetched.Content, fetched.Hash, cancellationToken);
        return file.ToUpstreamEntry();
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

    private async Task<UploadedFile> FindUploadAsync(Attachment attachment, CancellationToken cancellationToken) =>
        await catalog.FindAsync(attachment.Reference, cancellationToken)
            ?? throw AccountOwners.UnknownFile(attachment.Reference, attachment.Image ? "image_url" : "file");

    /// <summary>
    /// The bytes of a data: URI or remote image, its type, a name and the content hash the upload cache uses; at most
    /// <paramref name="left"/> bytes (what the request's attachments may still add up to).
    /// </summary>
    private async Task<Fetched> FetchAsync(Attachment attachment, long left, CancellationToken cancellationToken)
    {
        var param = attachment.Image ? "image_url" : "file";
        var settings = options.CurrentValue;
        var limit = Math.Clamp(left, 0, settings.MaxDownloadBytes);
        ChunkedBuffer content;
        string? declaredType;
        try
        {
            (content, declaredType) = attachment.Source == Source.DataUri
                ? InlineImages.DecodeDataUri(attachment.Reference, limit, param)
                : await DownloadAsync(attachment.Reference, param, limit, cancellationToken);
        }
        catch (ApiException ex) when (ex.Status == HttpStatusCode.RequestEntityTooLarge && limit < settings.MaxDownloadBytes)
        {
            // What ran out is the request's budget, not the per-file cap.
            throw new ApiException(HttpStatusCode.RequestEntityTooLarge, "invalid_request_error", TooLargeCode,
                $"The message's images and files add up to more than {settings.MaxAttachmentBytesPerRequest} bytes, the limit per request (Files:MaxAttachmentBytesPerRequest).",
                "messages");
        }

        var contentType = declaredType is { Length: > 0 } && declaredType != "application/octet-stream"
            ? declaredType.ToLowerInvariant()
            : InlineImages.SniffImageType(content) ?? "application/octet-stream";
        if (!FileKinds.IsWellFormed(contentType))
        {
            throw ApiException.BadRequest($"The attachment's media type '{contentType}' is not valid.", param, "invalid_media_type");
        }

        if (attachment.Image && !contentType.StartsWith("image/", StringComparison.Ordinal))
        {
            throw ApiException.BadRequest($"The image part is not an image (got '{contentType}').", param, "invalid_image");
        }

        var hash = content.Sha256Hex();
        return new Fetched(content, contentType, $"image-{hash[..12]}{FileKinds.ExtensionFor(contentType)}", hash);
    }

    private async Task<(ChunkedBuffer, string?)> DownloadAsync(string url, string param, long limit, CancellationToken cancellationToken)
    {
        try
        {
            var downloaded = await downloader.DownloadAsync(new Uri(url), param, cancellationToken, maxBytes: limit);
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

    private sealed record Fetched(ChunkedBuffer Content, string ContentType, string Name, string Hash);

    /// <summary>One attachment, ready: a stored file (by id), fetched bytes, or neither (a Qwen-hosted URL passed as is).</summary>
    private sealed record Prepared(Attachment Attachment, UploadedFile? Stored, Fetched? Fetched);

    private sealed class TurnAttachments(VisionInputResolver resolver, IReadOnlyList<Prepared> items) : ITurnAttachments
    {
        public async Task<IReadOnlyList<JsonObject>> OnAccountAsync(QwenAccount account, CancellationToken cancellationToken)
        {
            var entries = new List<JsonObject>(items.Count);
            foreach (var item in items)
            {
                entries.Add(await resolver.EntryOnAccountAsync(item, account, cancellationToken));
            }

            return entries;
        }
    }
}
