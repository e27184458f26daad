using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using QwenFunctions.Docs;
using QwenFunctions.Http;

namespace QwenFunctions.Files;

/// <summary>Uploads: the seed's POST /api/files/upload and /api/files/getstsToken, and OpenAI's POST /api/v1/files.</summary>
public sealed class FileFunctions(FileUploadService uploads, TimeProvider time)
{
    [OpenApiOperation("uploadFile", "Files", Summary = "Upload a file (the seed's route)")]
    [OpenApiRequestBody(OpenApiErrors.Multipart, typeof(FilesOpenApi.SeedUploadForm))]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.Json, typeof(SeedUploadAnswer), Description = "The stored file.")]
    [OpenApiErrors(HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.UnsupportedMediaType, HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable)]
    [Function("FilesUpload")]
    public async Task<IResult> UploadAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.FilesUpload)] HttpRequest req, CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(req, cancellationToken);
        var file = await UploadIncomingAsync(req, cancel.Token);
        return Json(FileAnswers.Seed(file.Uploaded));
    }

    [OpenApiOperation("createFile", "OpenAI", Summary = "Upload a file (OpenAI-compatible)")]
    [OpenApiRequestBody(OpenApiErrors.Multipart, typeof(FilesOpenApi.OpenAIUploadForm))]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.Json, typeof(OpenAIFile), Description = "The file object.")]
    [OpenApiErrors(HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.UnsupportedMediaType, HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable)]
    [Function("OpenAIFilesUpload")]
    public async Task<IResult> UploadOpenAIAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.FilesV1)] HttpRequest req, CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(req, cancellationToken);
        var file = await UploadIncomingAsync(req, cancel.Token);
        return Json(FileAnswers.OpenAI(file.Uploaded, file.Incoming.Fields.GetValueOrDefault("purpose"), time.GetUtcNow()));
    }

    [OpenApiOperation("getStsToken", "Files", Summary = "Upload credentials from chat.qwen.ai (the seed's route)",
        Description = "For clients that upload to the object store themselves. The newer file_name/file_size/file_type names are accepted too.")]
    [OpenApiRequestBody(OpenApiErrors.Json, typeof(FilesOpenApi.StsTokenRequest))]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.Json, typeof(JsonObject), Description = "The upstream STS answer, passed through unchanged.")]
    [OpenApiErrors(HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable)]
    [Function("FilesStsToken")]
    public async Task<IResult> GetStsTokenAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.FilesStsToken)] HttpRequest req, CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(req, cancellationToken);
        var body = await StsRequest.ReadAsync(req, cancel.Token);
        using var upstream = await uploads.GetStsTokenAsync(body.FileName, body.FileSize, body.FileType, cancel.Token);
        return Json(upstream.RootElement.GetRawText());
    }

    private async Task<(IncomingFile Incoming, UploadedFile Uploaded)> UploadIncomingAsync(HttpRequest req, CancellationToken cancellationToken)
    {
        var incoming = await MultipartUploadReader.ReadFileAsync(req, "file", uploads.Options, cancellationToken);
        var uploaded = await uploads.UploadAsync(incoming.FileName, incoming.ContentType, incoming.Content, null, cancellationToken, incoming.Content.Sha256Hex());
        return (incoming, uploaded);
    }

    private static IResult Json(string json) => Results.Text(json, "application/json");
}
