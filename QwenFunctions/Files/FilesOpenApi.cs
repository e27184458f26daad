using System.Net;
using Microsoft.OpenApi;
using QwenFunctions.Docs;
using QwenFunctions.Http;
using static QwenFunctions.Docs.OpenApiCommon;
using static QwenFunctions.Docs.OpenApiSchemas;

namespace QwenFunctions.Files;

/// <summary>Uploads: the seed's /files/upload and /files/getstsToken (ProblemDetails) and OpenAI's /v1/files.</summary>
public sealed class FilesOpenApi : IOpenApiContributor
{
    private const string Tag = "Files";

    public void Describe(OpenApiPaths paths, OpenApiComponents components)
    {
        var upload = Object(
            new Dictionary<string, IOpenApiSchema>
            {
                ["file"] = Binary("The file (Files:MaxUploadBytes, 25 MB by default)."),
            },
            required: ["file"]);
        var seedAnswer = components.Define("UploadedFile", Object(
            new Dictionary<string, IOpenApiSchema>
            {
                ["success"] = Boolean(),
                ["file"] = Object(new Dictionary<string, IOpenApiSchema>
                {
                    ["name"] = String(),
                    ["url"] = String("Signed URL of the stored file; usable in a chat message's image part."),
                    ["fileId"] = String(),
                    ["size"] = Integer(),
                    ["type"] = String("Content type."),
                }),
            },
            required: ["success", "file"]));
        var openAIFile = components.Define("OpenAIFile", Object(
            new Dictionary<string, IOpenApiSchema>
            {
                ["id"] = String(),
                ["object"] = Constant("file"),
                ["bytes"] = Integer(),
                ["created_at"] = Integer("Unix seconds."),
                ["filename"] = String(),
                ["purpose"] = String("As sent; user_data when omitted."),
                ["status"] = String(),
                ["status_details"] = String(nullable: true),
            },
            required: ["id", "object", "bytes", "created_at", "filename", "purpose"]));

        paths.Add(HttpMethod.Post, Routes.FilesUpload, Operation("uploadFile", Tag, "Upload a file (the seed's route)")
            .WithMultipartBody(upload)
            .Responds(HttpStatusCode.OK, "The stored file.", Json, seedAnswer)
            .WithProblems(HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.UnsupportedMediaType,
                HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable));

        paths.Add(HttpMethod.Post, Routes.FilesV1, Operation("createFile", "OpenAI", "Upload a file (OpenAI-compatible)")
            .WithMultipartBody(Object(
                new Dictionary<string, IOpenApiSchema>
                {
                    ["file"] = Binary("The file (Files:MaxUploadBytes, 25 MB by default)."),
                    ["purpose"] = String("e.g. user_data, vision."),
                },
                required: ["file"]))
            .Responds(HttpStatusCode.OK, "The file object.", Json, openAIFile)
            .WithOpenAIErrors(HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.UnsupportedMediaType,
                HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable));

        paths.Add(HttpMethod.Post, Routes.FilesStsToken, Operation("getStsToken", Tag, "Upload credentials from chat.qwen.ai (the seed's route)",
                "For clients that upload to the object store themselves. The newer file_name/file_size/file_type names are accepted too.")
            .WithJsonBody(Object(
                new Dictionary<string, IOpenApiSchema>
                {
                    ["filename"] = String(),
                    ["filesize"] = Integer("Bytes; more than 0."),
                    ["filetype"] = String("e.g. image, file, video."),
                },
                required: ["filename", "filesize", "filetype"]))
            .Responds(HttpStatusCode.OK, "The upstream STS answer, passed through unchanged.", Json, FreeForm("chat.qwen.ai's STS token payload."))
            .WithProblems(HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable));
    }
}
