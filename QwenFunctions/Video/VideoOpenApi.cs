using System.Net;
using Microsoft.OpenApi;
using QwenFunctions.Docs;
using QwenFunctions.Http;
using static QwenFunctions.Docs.OpenApiCommon;
using static QwenFunctions.Docs.OpenApiSchemas;

namespace QwenFunctions.Video;

/// <summary>
/// Text-to-video as an asynchronous job: create answers 202 with Location, poll the job, then fetch the content.
/// Native /videos (ProblemDetails, snake_case), OpenAI /v1/videos (object "video", OpenAI errors), the seed's /tasks/status/{id}.
/// </summary>
public sealed class VideoOpenApi : IOpenApiContributor
{
    /// <summary>The native job object, also what POST /chat answers for chatType t2v.</summary>
    public const string JobSchema = "VideoJob";

    private const string Tag = "Video";
    private const string LocationHeader = "Location";

    public void Describe(OpenApiPaths paths, OpenApiComponents components)
    {
        var request = components.Define("VideoCreateRequest", Object(
            new Dictionary<string, IOpenApiSchema>
            {
                ["prompt"] = String(),
                ["model"] = String("Upstream model; sora-* names (OpenAI clients) mean the default."),
                ["size"] = String("Native: aspect ratio (16:9, 9:16, 1:1…). OpenAI: WIDTHxHEIGHT, mapped to the nearest ratio."),
            },
            required: ["prompt"]));
        var error = Object(new Dictionary<string, IOpenApiSchema> { ["code"] = String(), ["message"] = String() }, nullable: true);
        var status = Enum(null, "queued", "in_progress", "completed", "failed", "cancelled");
        var job = components.Define(JobSchema, Object(
            new Dictionary<string, IOpenApiSchema>
            {
                ["id"] = String(),
                ["object"] = Constant("video.job"),
                ["status"] = status,
                ["progress"] = Integer("0–100.", format: "int32"),
                ["created_at"] = String(format: "date-time"),
                ["completed_at"] = String(format: "date-time", nullable: true),
                ["video_url"] = String("Set once completed.", nullable: true),
                ["error"] = error,
                ["model"] = String(nullable: true),
                ["prompt"] = String(),
                ["size"] = String(),
                ["status_url"] = String("Poll this URL (also the Location of the 202)."),
            },
            required: ["id", "object", "status", "progress", "status_url"]));
        var video = components.Define("OpenAIVideo", Object(
            new Dictionary<string, IOpenApiSchema>
            {
                ["id"] = String(),
                ["object"] = Constant("video"),
                ["model"] = String(),
                ["status"] = status,
                ["progress"] = Integer("0–100.", format: "int32"),
                ["created_at"] = Integer("Unix seconds."),
                ["completed_at"] = Integer(nullable: true),
                ["expires_at"] = Integer(nullable: true),
                ["seconds"] = String(),
                ["size"] = String(),
                ["prompt"] = String(),
                ["remixed_from_video_id"] = String(nullable: true),
                ["error"] = error,
            },
            required: ["id", "object", "status", "progress", "created_at"]));

        paths.Add(HttpMethod.Post, Routes.Videos, Accepted(Operation("createVideo", Tag, "Start a video job").WithJsonBody(request), job)
            .WithProblems(HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.TooManyRequests, HttpStatusCode.ServiceUnavailable));
        paths.Add(HttpMethod.Get, Routes.Video, Operation("getVideo", Tag, "A video job's status")
            .WithPathParameter("id", "Job id.")
            .Responds(HttpStatusCode.OK, "The job; Retry-After while it runs.", Json, job)
            .WithHeader(HttpStatusCode.OK, "Retry-After", "Seconds until the next useful poll, while the job runs.")
            .WithProblems(HttpStatusCode.Unauthorized, HttpStatusCode.NotFound));
        paths.Add(HttpMethod.Delete, Routes.Video, Operation("cancelVideo", Tag, "Cancel a video job")
            .WithPathParameter("id", "Job id.")
            .Responds(HttpStatusCode.OK, "The job after cancellation.", Json, job)
            .WithProblems(HttpStatusCode.Unauthorized, HttpStatusCode.NotFound, HttpStatusCode.Conflict));
        paths.Add(HttpMethod.Get, Routes.VideoContent, Content(Operation("getVideoContent", Tag, "The finished video"))
            .WithProblems(HttpStatusCode.Unauthorized, HttpStatusCode.NotFound, HttpStatusCode.Conflict));
        paths.Add(HttpMethod.Get, Routes.TaskStatus, Operation("getTaskStatus", Tag, "A video job's status, in the seed's task shape")
            .WithPathParameter("id", "Job id.")
            .Responds(HttpStatusCode.OK, "The task.", Json, Object(new Dictionary<string, IOpenApiSchema>
            {
                ["task_id"] = String(),
                ["status"] = status,
                ["data"] = job,
            }, required: ["task_id", "status", "data"]))
            .WithProblems(HttpStatusCode.Unauthorized, HttpStatusCode.NotFound));

        paths.Add(HttpMethod.Post, Routes.VideosV1, Accepted(Operation("createVideoOpenAI", "OpenAI", "Create a video (OpenAI Videos API)")
                .WithJsonBody(request)
                .AlsoAcceptsBody(Multipart, request), video)
            .WithOpenAIErrors(HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.TooManyRequests, HttpStatusCode.ServiceUnavailable));
        paths.Add(HttpMethod.Get, Routes.VideoV1, Operation("getVideoOpenAI", "OpenAI", "Retrieve a video")
            .WithPathParameter("id", "Video id.")
            .Responds(HttpStatusCode.OK, "The video object.", Json, video)
            .WithOpenAIErrors(HttpStatusCode.Unauthorized, HttpStatusCode.NotFound));
        paths.Add(HttpMethod.Delete, Routes.VideoV1, Operation("deleteVideoOpenAI", "OpenAI", "Delete a video")
            .WithPathParameter("id", "Video id.")
            .Responds(HttpStatusCode.OK, "Deleted.", Json, Object(new Dictionary<string, IOpenApiSchema>
            {
                ["id"] = String(),
                ["object"] = Constant("video.deleted"),
                ["deleted"] = Boolean(),
            }, required: ["id", "object", "deleted"]))
            .WithOpenAIErrors(HttpStatusCode.Unauthorized, HttpStatusCode.NotFound));
        paths.Add(HttpMethod.Get, Routes.VideoContentV1, Content(Operation("getVideoContentOpenAI", "OpenAI", "Download the video"))
            .WithOpenAIErrors(HttpStatusCode.Unauthorized, HttpStatusCode.NotFound, HttpStatusCode.Conflict));
    }

    private static OpenApiOperation Accepted(OpenApiOperation operation, IOpenApiSchema job) => operation
        .WithRequestHeader("Idempotency-Key", "Retrying with the same key returns the same job instead of starting another.")
        .Responds(HttpStatusCode.Accepted, "The job started; poll Location until status is completed or failed.", Json, job)
        .WithHeader(HttpStatusCode.Accepted, LocationHeader, "The job's status URL.")
        .WithHeader(HttpStatusCode.Accepted, "Retry-After", "Seconds until the first useful poll.");

    private static OpenApiOperation Content(OpenApiOperation operation) => operation
        .WithPathParameter("id", "Job id.")
        .Responds(HttpStatusCode.Redirect, "Redirect to the video file (a signed upstream URL, video/mp4).")
        .WithHeader(HttpStatusCode.Redirect, LocationHeader, "The video file's URL.");
}
