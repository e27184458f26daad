using System.Net;
using Microsoft.OpenApi;
using QwenFunctions.Docs;
using QwenFunctions.Http;
using static QwenFunctions.Docs.OpenApiCommon;
using static QwenFunctions.Docs.OpenApiSchemas;

namespace QwenFunctions.Models;

/// <summary>GET /v1/models(/{id}) and the seed's unversioned /models(/{id}); all four speak OpenAI errors.</summary>
public sealed class ModelsOpenApi : IOpenApiContributor
{
    private const string Tag = "OpenAI";

    public void Describe(OpenApiPaths paths, OpenApiComponents components)
    {
        var model = components.Define("Model", Object(
            new Dictionary<string, IOpenApiSchema>
            {
                ["id"] = String(),
                ["object"] = Constant("model"),
                ["created"] = Integer("Unix seconds."),
                ["owned_by"] = String(),
            },
            required: ["id", "object", "created", "owned_by"]));
        var list = components.Define("ModelList", Object(
            new Dictionary<string, IOpenApiSchema>
            {
                ["object"] = Constant("list"),
                ["data"] = Array(model),
                ["models"] = Array(FreeForm(), "Always empty: present for Codex, which decodes this field and keeps its built-in model metadata."),
            },
            required: ["object", "data"]));

        foreach (var (models, modelById, suffix) in new[] { (Routes.ModelsV1, Routes.ModelV1, ""), (Routes.Models, Routes.Model, "Unversioned") })
        {
            paths.Add(HttpMethod.Get, models, Operation("listModels" + suffix, Tag, "Models the account pool can serve")
                .Responds(HttpStatusCode.OK, "The model list (cached; see Proxy:ModelsCacheTtl).", Json, list)
                .WithOpenAIErrors(HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable));

            paths.Add(HttpMethod.Get, modelById, Operation("getModel" + suffix, Tag, "One model")
                .WithPathParameter("id", "Model id or alias.")
                .Responds(HttpStatusCode.OK, "The model.", Json, model)
                .WithOpenAIErrors(HttpStatusCode.Unauthorized, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable));
        }
    }
}
