using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QwenFunctions.Accounts;
using QwenFunctions.Http;
using QwenFunctions.Upstream;

namespace QwenFunctions.Files;

/// <summary>
/// Stores a file upstream the way the web app does: STS grant, V1-signed PUT to OSS, then (documents) parse and poll.
/// The file is bound to the account that uploaded it; chats that use it must run there.
/// </summary>
public sealed class FileUploadService(
    AccountAttemptRunner runner,
    QwenApiClient api,
    OssUploader oss,
    IAccountBindingStore bindings,
    UploadedFileCatalog catalog,
    IOptionsMonitor<FilesOptions> options,
    TimeProvider time,
    ILogger<FileUploadService> logger)
{
    public FilesOptions Options => options.CurrentValue;

    /// <summary>Uploads <paramref name="content"/> on <paramref name="accountId"/> (or an account from the pool when null), rotating on upstream failures.</summary>
    public async Task<UploadedFile> UploadAsync(string fileName, string contentType, ChunkedBuffer content, string? accountId, CancellationToken cancellationToken, string? contentHash = null)
    {
        EnsureAllowed(contentType);
        var (file, _) = await runner.RunAsync(QwenFeature.Chat, accountId, (account, ct) => StoreAsync(account, fileName, contentType, content, ct), cancellationToken);
        await RememberAsync(file, contentHash, cancellationToken);
        return file;
    }

    /// <summary>
    /// Uploads on exactly <paramref name="account"/>, for callers already inside an attempt on it (a chat turn):
    /// upstream failures propagate as <see cref="QwenUpstreamException"/> so that caller's runner decides.
    /// </summary>
    public async Task<UploadedFile> UploadOnAccountAsync(QwenAccount account, string fileName, string contentType, ChunkedBuffer content, string? contentHash, CancellationToken cancellationToken)
    {
        EnsureAllowed(contentType);
        var file = await StoreAsync(account, fileName, contentType, content, cancellationToken);
        await RememberAsync(file, contentHash, cancellationToken);
        return file;
    }

    private void EnsureAllowed(string contentType, string param = "file")
    {
        if (!FileKinds.IsAllowed(contentType, options.CurrentValue.AllowedContentTypeList))
        {
            throw ApiException.BadRequest($"Files of type '{contentType}' are not accepted.", param, "unsupported_file_type");
        }
    }

    private async Task<UploadedFile> StoreAsync(QwenAccount account, string fileName, string contentType, ChunkedBuffer content, CancellationToken cancellationToken)
    {
        var kind = FileKinds.KindOf(contentType, fileName);
        var grant = await api.GetStsTokenAsync(account, fileName, content.Length, FileKinds.StsFileType(kind), cancellationToken);
        await oss.PutAsync(grant, content, contentType, cancellationToken);
        if (FileKinds.NeedsParse(kind))
        {
            await WaitForParseAsync(account, grant.FileId, cancellationToken);
        }

        Log.Uploaded(logger, grant.FileId, account.Id, content.Length, kind.ToString());
        return new UploadedFile(grant.FileId, fileName, grant.FileUrl, content.Length, contentType, account.Id);
    }

    private Task RememberAsync(UploadedFile file, string? contentHash, CancellationToken cancellationToken) =>
        catalog.RememberAsync(file, contentHash, cancellationToken);

    /// <summary>
    /// The seed's getstsToken pass-through: the upstream JSON as is; the reserved file id is bound to the account.
    /// The credentials let the client PUT the file itself, so the upload route's size and type rules apply first.
    /// </summary>
    public async Task<JsonDocument> GetStsTokenAsync(string fileName, long fileSize, string fileType, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (!settings.EnableStsPassThrough)
        {
            throw new ApiException(System.Net.HttpStatusCode.NotFound, "invalid_request_error", "not_found",
                "This route is turned off on this deployment (Files:EnableStsPassThrough); upload with POST /api/files/upload.");
        }

        if (fileSize > settings.MaxUploadBytes)
        {
            throw MultipartUploadReader.TooLarge(settings.MaxUploadBytes);
        }

        // The seed sends a kind (image, file, …); a client may send a media type. A kind says nothing, the name does.
        EnsureAllowed(fileType.Contains('/') ? fileType.Trim().ToLowerInvariant() : FileKinds.ResolveContentType(null, fileName), "filetype");

        var (doc, account) = await runner.RunAsync(QwenFeature.Chat, null,
            (account, ct) => api.GetStsTokenRawAsync(account, fileName, fileSize, fileType, ct), cancellationToken);
        if (QwenStsGrant.Parse(doc.RootElement) is { } grant)
        {
            await bindings.BindAsync(BindingKind.File, grant.FileId, account.Id, cancellationToken);
        }

        return doc;
    }

    private async Task WaitForParseAsync(QwenAccount account, string fileId, CancellationToken cancellationToken)
    {
        await api.StartParseAsync(account, fileId, cancellationToken);
        var settings = options.CurrentValue;
        for (var poll = 1; poll <= settings.ParseMaxPolls; poll++)
        {
            var status = await api.GetParseStatusAsync(account, fileId, cancellationToken);
            if (status == "success")
            {
                return;
            }

            if (status is not ("running" or "pending" or "processing"))
            {
                throw new QwenUpstreamException(UpstreamErrorKind.InvalidInput, $"the upstream could not parse the document (status '{status}').");
            }

            if (poll < settings.ParseMaxPolls)
            {
                await Task.Delay(settings.ParsePollInterval, time, cancellationToken);
            }
        }

        // Parsing continues upstream; the file is stored and usable once it finishes.
        Log.ParseStillRunning(logger, fileId, settings.ParseMaxPolls);
    }
}
