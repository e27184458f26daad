using System.Net;
using Microsoft.OpenApi;
using QwenFunctions.Docs;
using QwenFunctions.Http;
using static QwenFunctions.Docs.OpenApiCommon;
using static QwenFunctions.Docs.OpenApiSchemas;

namespace QwenFunctions.Images;

/// <summary>Text-to-image: native POST /images (JSON or SSE) and OpenAI POST /v1/images/generations with its /images/generations alias.</summary>
public sealed class ImagesOpenApi : IOpenApiContributor
{
    private const string StreamExample =
        ": keep-alive\n\n" +
        "data: {\"created\":1771318618,\"model\":\"qwen3-max\",\"size\":\"1:1\",\"chatId\":\"30ae…\",\"parentId\":\"9f8f…\",\"data\":[{\"url\":\"https://…\",\"width\":1024,\"height\":1024}]}\n\n" +
        "data: [DONE]\n\n";

    public void Describe(OpenApiPaths paths, OpenApiComponents components)
    {
        var nativeRequest = components.Define("NativeImageRequest", Object(
            new Dictionary<string, IOpenApiSchema>
            {
                ["prompt"] = String(),
                ["model"] = String(),
                ["size"] = String("Aspect ratio, e.g. 1:1 or 16:9."),
                ["n"] = Integer(format: "int32"),
                ["chatId"] = String("Continue this upstream conversation (e.g. to refine an image)."),
                ["parentId"] = String(),
                ["stream"] = Boolean("Keep the connection alive with SSE comments while the image is made (10–60 s)."),
            },
            required: ["prompt"]));
        var nativeAnswer = components.Define("NativeImageResult", Object(
            new Dictionary<string, IOpenApiSchema>
            {
                ["created"] = Integer("Unix seconds."),
                ["model"] = String(),
                ["size"] = String(),
                ["chatId"] = String(),
                ["parentId"] = String(),
                ["data"] = Array(Object(new Dictionary<string, IOpenApiSchema>
                {
                    ["url"] = String(),
                    ["width"] = Integer(format: "int32", nullable: true),
                    ["height"] = Integer(format: "int32", nullable: true),
                })),
            },
            required: ["created", "data"]));
        var openAIRequest = components.Define("ImageGenerationRequest", Object(
            new Dictionary<string, IOpenApiSchema>
            {
                ["prompt"] = String(),
                ["model"] = String(),
                ["n"] = Integer(format: "int32"),
                ["size"] = String("WIDTHxHEIGHT (mapped to the nearest aspect ratio) or auto."),
                ["response_format"] = Enum(null, "url", "b64_json"),
            },
            required: ["prompt"]));
        var openAIAnswer = components.Define("ImagesResponse", Object(
            new Dictionary<string, IOpenApiSchema>
            {
                ["created"] = Integer("Unix seconds."),
                ["data"] = Array(Object(new Dictionary<string, IOpenApiSchema>
                {
                    ["url"] = String(),
                    ["b64_json"] = String(),
                    ["revised_prompt"] = String(),
                })),
            },
            required: ["created", "data"]));

        paths.Add(HttpMethod.Post, Routes.Images, Operation("generateImage", "Images", "Generate an image (native)")
            .WithJsonBody(nativeRequest)
            .Responds(HttpStatusCode.OK, "The image URLs; with `stream: true`, heartbeats then one data event and [DONE].", Json, nativeAnswer)
            .StreamsEvents(HttpStatusCode.OK, "NativeImageResult", StreamExample)
            .WithProblems(HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway,
                HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout));

        foreach (var (path, id) in new[] { (Routes.ImageGenerationsV1, "createImage"), (Routes.ImageGenerations, "createImageUnversioned") })
        {
            paths.Add(HttpMethod.Post, path, Operation(id, "OpenAI", "Generate images (OpenAI-compatible)")
                .WithJsonBody(openAIRequest)
                .Responds(HttpStatusCode.OK, "The images.", Json, openAIAnswer)
                .WithOpenAIErrors(HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway,
                    HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout));
        }
    }
}
