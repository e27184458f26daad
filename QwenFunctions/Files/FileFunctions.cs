using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using QwenFunctions.Http;

namespace QwenFunctions.Files;

/// <summary>The seed's upload routes: POST /api/files/upload (multipart field "file") and POST /api/files/getstsToken.</summary>
public sealed class FileFunctions(FileUploadService uploads)
{
    [Function("FilesUpload")]
    public async Task<IActionResult> UploadAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "files/upload")] HttpRequest req, CancellationToken cancellationToken)
    {
        var incoming = await MultipartUploadReader.ReadFileAsync(req, "file", uploads.Options, cancellationToken);
        var file = await uploads.UploadAsync(incoming.FileName, incoming.ContentType, incoming.Content, null, cancellationToken, incoming.Content.Sha256Hex());
        var answer = new JsonObject
        {
            ["success"] = true,
            ["file"] = new JsonObject
            {
                ["name"] = file.Name,
                ["url"] = file.Url,
                ["fileId"] = file.FileId,
                ["size"] = file.Size,
                ["type"] = file.ContentType,
            },
        };
        return new ContentResult { Content = answer.ToJsonString(), ContentType = "application/json", StatusCode = 200 };
    }

    [Function("FilesStsToken")]
    public async Task<IActionResult> GetStsTokenAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "files/getstsToken")] HttpRequest req, CancellationToken cancellationToken)
    {
        var body = await StsRequest.ReadAsync(req, cancellationToken);
        using var upstream = await uploads.GetStsTokenAsync(body.FileName, body.FileSize, body.FileType, cancellationToken);
        return new ContentResult { Content = upstream.RootElement.GetRawText(), ContentType = "application/json", StatusCode = 200 };
    }
}
