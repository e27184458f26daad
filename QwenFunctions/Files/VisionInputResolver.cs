using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QwenFunctions.Accounts;
using QwenFunctions.Http;

using QwenFunctions.Chat;

namespace QwenFunctions.Files;

/// <summary>
/// A user message's text plus the upstream `files[]` entries for its images and documents, and the account those
/// files belong to (null when none is bound): the chat must run on that account.
/// </summary>
public sealed record ResolvedContent(string Text, IReadOnlyList<JsonObject> Files, string? AccountId);

/// <summary>
/// Turns OpenAI content parts (text, image_url, file) and the seed's parts (image, file, uploaded file ids) into what the
/// upstream accepts: data: URIs and foreign https images are uploaded (once per account and content hash), images already
/// on Qwen's storage pass through, and file ids resolve to the account that uploaded them.
/// </summary>
public sealed class VisionInputResolver(
    FileUploadService uploads,
    SafeDownloader downloader,
    UploadedFileCatalog catalog,
    IAccountBindingStore bindings,
    AccountPool pool,
    IOptionsMonitor<FilesOptions> options,
    ILogger<VisionInputResolver> logger) : IVisionInputResolver
{
    /// <param name="content">A string, or an array of content parts.</param>
    /// <param name="accountHint">The account the conversation is already bound to, if any.</param>
    public async Task<ResolvedContent> ResolveAsync(JsonNode? content, string? accountHint, CancellationToken cancellationToken)
    {
        if (content is JsonValue value && value.TryGetValue<string>(out var plain))
        {
            return new ResolvedContent(plain, [], accountHint);
        }

        if (content is not JsonArray parts)
        {
            return new ResolvedContent("", [], accountHint);
        }

        var text = new StringBuilder();
        var attachments = new List<Attachment>();
        foreach (var part in parts.OfType<JsonObject>())
        {
            switch (Str(part, "type"))
            {
                case "text" or "input_text":
                    text.Append(text.Length > 0 ? "\n" : "").Append(Str(part, "text"));
                    break;
                case "image_url":
                    attachments.Add(Classify(part["image_url"] is JsonObject o ? Str(o, "url") : Str(part, "image_url"), image: true));
                    break;
                case "image" or "input_image":
                    attachments.Add(Classify(Str(part, "image") ?? Str(part, "image_url"), image: true));
                    break;
                case "file":
                    attachments.Add(part["file"] is JsonObject file
                        ? Classify(Str(file, "file_id") ?? Str(file, "file_data") ?? Str(file, "url"), image: false, Str(file, "filename"))
                        : Classify(Str(part, "file"), image: false));
                    break;
            }
        }

        var account = accountHint;
        foreach (var attachment in attachments.Where(a => a.Source == Source.FileId))
        {
            account = await ResolveFileIdAsync(attachment, account, cancellationToken);
        }

        foreach (var attachment in attachments.Where(a => a.Source is Source.DataUri or Source.Remote))
        {
            attachment.File = await UploadAsync(attachment, account, cancellationToken);
            account = attachment.File.AccountId;
        }

        var files = attachments.Select(a => a.File?.ToUpstreamEntry() ?? PassThroughEntry(a)).ToList();
        return new ResolvedContent(text.ToString(), files, account);
    }

    public Task<ResolvedContent> ResolveAsync(JsonElement content, string? accountHint, CancellationToken cancellationToken) =>
        ResolveAsync(JsonSerializer.SerializeToNode(content), accountHint, cancellationToken);

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
                    await ResolveFileIdAsync(attachment, account.Id, cancellationToken);
                    entries.Add(attachment.File!.ToUpstreamEntry());
                    break;
                default:
                    var prepared = await PrepareAsync(attachment, cancellationToken);
                    var file = catalog.FindByContent(account.Id, prepared.Hash)
                        ?? await uploads.UploadOnAccountAsync(account, prepared.Name, prepared.ContentType, prepared.Content, prepared.Hash, cancellationToken);
                    entries.Add(file.ToUpstreamEntry());
                    break;
            }
        }

        return entries;
    }

    private Attachment Classify(string? reference, bool image, string? fileName = null)
    {
        var param = image ? "image_url" : "file";
        if (string.IsNullOrWhiteSpace(reference))
        {
            throw ApiException.BadRequest($"A{(image ? "n image" : " file")} part has no URL or file id.", param, "invalid_content_part");
        }

        reference = reference.Trim();
        if (reference.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return new Attachment(Source.DataUri, reference, image, fileName);
        }

        if (Uri.TryCreate(reference, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            return new Attachment(IsTrustedHost(uri.Host) ? Source.Trusted : Source.Remote, reference, image, fileName);
        }

        return new Attachment(Source.FileId, reference, image, fileName);
    }

    private async Task<string?> ResolveFileIdAsync(Attachment attachment, string? account, CancellationToken cancellationToken)
    {
        var owner = await bindings.FindAccountAsync(BindingKind.File, attachment.Reference, cancellationToken);
        attachment.File = catalog.FindById(attachment.Reference);
        if (owner is null || attachment.File is null)
        {
            throw ApiException.BadRequest($"Unknown file id '{attachment.Reference}': upload it with POST /api/files/upload first, or pass its URL.",
                attachment.Image ? "image_url" : "file", "file_not_found");
        }

        if (account is not null && account != owner)
        {
            throw new ApiException(HttpStatusCode.Conflict, "invalid_request_error", "file_account_mismatch",
                $"File '{attachment.Reference}' was uploaded with a different upstream account than this conversation (or another file) uses; upload it again in this conversation.");
        }

        return owner;
    }

    private async Task<UploadedFile> UploadAsync(Attachment attachment, string? account, CancellationToken cancellationToken)
    {
        var prepared = await PrepareAsync(attachment, cancellationToken);
        foreach (var candidate in account is null ? pool.Accounts.Select(a => a.Id) : [account])
        {
            if (catalog.FindByContent(candidate, prepared.Hash) is { } cached)
            {
                Log.VisionCacheHit(logger, cached.FileId, candidate);
                return cached;
            }
        }

        return await uploads.UploadAsync(prepared.Name, prepared.ContentType, prepared.Content, account, cancellationToken, prepared.Hash);
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
        if (!FileKinds.IsWellFormed(contentType))
        {
            throw ApiException.BadRequest($"The attachment's media type '{contentType}' is not valid.", param, "invalid_media_type");
        }

        if (attachment.Image && !contentType.StartsWith("image/", StringComparison.Ordinal))
        {
            throw ApiException.BadRequest($"The image part is not an image (got '{contentType}').", param, "invalid_image");
        }

        var hash = content.Sha256Hex();
        return (content, contentType, attachment.FileName ?? $"image-{hash[..12]}{FileKinds.ExtensionFor(contentType)}", hash);
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
        return new UploadedFile("", attachment.FileName ?? name, attachment.Reference, 0, kind == FileKind.Image && !contentType.StartsWith("image/", StringComparison.Ordinal) ? "image/png" : contentType, "")
            .ToUpstreamEntry();
    }

    private static string? Str(JsonObject o, string name) =>
        o.TryGetPropertyValue(name, out var v) && v is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;

    private enum Source
    {
        DataUri,
        Remote,
        Trusted,
        FileId,
    }

    private sealed class Attachment(Source source, string reference, bool image, string? fileName)
    {
        public Source Source { get; } = source;
        public string Reference { get; } = reference;
        public bool Image { get; } = image;
        public string? FileName { get; } = fileName;
        public UploadedFile? File { get; set; }
    }
}
