using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using QwenFunctions.Http;

namespace QwenFunctions.Files;

/// <summary>Uploads: the seed's POST /api/files/upload and /api/files/getstsToken, and OpenAI's POST /api/v1/files.</summary>
public sealed class FileFunctions(FileUploadService uploads, TimeProvider time)
{
    [Function("FilesUpload")]
    public async Task<IActionResult> UploadAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.FilesUpload)] HttpRequest req, CancellationToken cancellationToken)
    {
        var file = await UploadIncomingAsync(req, cancellationToken);
        return Json(FileAnswers.Seed(file.Uploaded).ToJsonString());
    }

    [Function("OpenAIFilesUpload")]
    public async Task<IActionResult> UploadOpenAIAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.FilesV1)] HttpRequest req, CancellationToken cancellationToken)
    {
        var file = await UploadIncomingAsync(req, cancellationToken);
        return Json(FileAnswers.OpenAI(file.Uploaded, file.Incoming.Fields.GetValueOrDefault("purpose"), time.GetUtcNow()).ToJsonString());
    }

    [Function("FilesStsToken")]
    public async Task<IActionResult> GetStsTokenAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.FilesStsToken)] HttpRequest req, CancellationToken cancellationToken)
    {
        var body = await StsRequest.ReadAsync(req, cancellationToken);
        using var upstream = await uploads.GetStsTokenAsync(body.FileName, body.FileSize, body.FileType, cancellationToken);
        return Json(upstream.RootElement.GetRawText());
    }

    private async Task<(IncomingFile Incoming, UploadedFile Uploaded)> UploadIncomingAsync(HttpRequest req, CancellationToken cancellationToken)
    {
        var incoming = await MultipartUploadReader.ReadFileAsync(req, "file", uploads.Options, cancellationToken);
        var uploaded = await uploads.UploadAsync(incoming.FileName, incoming.ContentType, incoming.Content, null, cancellationToken, incoming.Content.Sha256Hex());
        return (incoming, uploaded);
    }

    private static ContentResult Json(string json) => new() { Content = json, ContentType = "application/json", StatusCode = 200 };
}
