using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using QwenFunctions.Docs;
using QwenFunctions.Http;

namespace QwenFunctions.Models;

/// <summary>
/// OpenAI <c>/v1/models</c>, also without <c>/v1</c> as the seed serves it (OpenAI base URL http://host/api); in
/// Anthropic's shape when an Anthropic client asks (<see cref="AnthropicModelList"/>).
/// </summary>
public sealed class ModelsFunctions(ModelCatalog catalog)
{
    [OpenApiOperation("listModels", "OpenAI", Summary = "Models the account pool can serve")]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.Json, typeof(OpenAIModelList), Description = "The model list (cached; see Proxy:ModelsCacheTtl).")]
    [OpenApiErrors(HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable)]
    [Function("ModelsList")]
    public Task<IResult> ListAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.ModelsV1)] HttpRequest req, CancellationToken cancellationToken) =>
        ListCoreAsync(req, cancellationToken);

    [OpenApiOperation("listModelsUnversioned", "OpenAI", SameAs = nameof(ListAsync))]
    [Function("ModelsListUnversioned")]
    public Task<IResult> ListUnversionedAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Models)] HttpRequest req, CancellationToken cancellationToken) =>
        ListCoreAsync(req, cancellationToken);

    [OpenApiOperation("getModel", "OpenAI", Summary = "One model")]
    [OpenApiParameter("id", Description = "Model id or alias.")]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.Json, typeof(OpenAIModel), Description = "The model.")]
    [OpenApiErrors(HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable)]
    [Function("ModelsGet")]
    public Task<IResult> GetAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.ModelV1)] HttpRequest req, string id, CancellationToken cancellationToken) =>
        GetCoreAsync(req, id, cancellationToken);

    [OpenApiOperation("getModelUnversioned", "OpenAI", SameAs = nameof(GetAsync))]
    [Function("ModelsGetUnversioned")]
    public Task<IResult> GetUnversionedAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Model)] HttpRequest req, string id, CancellationToken cancellationToken) =>
        GetCoreAsync(req, id, cancellationToken);

    private async Task<IResult> ListCoreAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(request, cancellationToken);
        var entries = await catalog.ListAsync(cancel.Token);
        return AnthropicModelList.IsWanted(request)
            ? Results.Json(AnthropicModelList.List(entries, request.Query))
            : Results.Json(new OpenAIModelList([.. entries.Select(OpenAIModel.From)]), JsonSerializerOptions.Web);
    }

    private async Task<IResult> GetCoreAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(request, cancellationToken);
        var entry = await catalog.FindAsync(id, cancel.Token)
            ?? throw ApiException.NotFound($"The model '{id}' does not exist.", "model_not_found", "model");
        return AnthropicModelList.IsWanted(request)
            ? Results.Json(AnthropicModelList.Info(entry))
            : Results.Json(OpenAIModel.From(entry), JsonSerializerOptions.Web);
    }
}

public sealed record OpenAIModelList(IReadOnlyList<OpenAIModel> Data)
{
    [JsonPropertyOrder(-1)]
    public string Object => "list";

    /// <summary>
    /// Codex decodes <c>{"models":[…]}</c> from this route (in its own model-metadata shape) and logs a decode error
    /// without the field; an empty list keeps its built-in metadata for the names it knows.
    /// </summary>
    public IReadOnlyList<object> Models => [];
}

public sealed record OpenAIModel([property: JsonPropertyOrder(-2)] string Id, long Created)
{
    [JsonPropertyOrder(-1)]
    public string Object => "model";

    [JsonPropertyName("owned_by")]
    public string OwnedBy => "qwen";

    public static OpenAIModel From(CatalogEntry entry) => new(entry.Id, entry.Created);
}
