using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using QwenFunctions.Http;

namespace QwenFunctions.Responses;

/// <summary>
/// The OpenAI Responses API under <c>/api/v1/responses</c>, and under <c>/api/responses</c> for clients whose base URL
/// has no <c>/v1</c>. Every route answers OpenAI errors.
/// </summary>
public sealed class ResponsesFunctions(ResponsesService responses, StoredResponses stored, RequestBodyReader bodies)
{
    [Function("ResponsesCreateV1")]
    public Task<IResult> CreateV1([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.ResponsesV1)] HttpRequest request,
        CancellationToken cancellationToken) => CreateAsync(request, cancellationToken);

    [Function("ResponsesCreate")]
    public Task<IResult> Create([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.Responses)] HttpRequest request,
        CancellationToken cancellationToken) => CreateAsync(request, cancellationToken);

    [Function("ResponsesGetV1")]
    public Task<IResult> GetV1([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.ResponseV1)] HttpRequest request, string id,
        CancellationToken cancellationToken) => GetAsync(request, id, cancellationToken);

    [Function("ResponsesGet")]
    public Task<IResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Response)] HttpRequest request, string id,
        CancellationToken cancellationToken) => GetAsync(request, id, cancellationToken);

    [Function("ResponsesDeleteV1")]
    public Task<IResult> DeleteV1([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Routes.ResponseV1)] HttpRequest request, string id,
        CancellationToken cancellationToken) => DeleteAsync(request, id, cancellationToken);

    [Function("ResponsesDelete")]
    public Task<IResult> Delete([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Routes.Response)] HttpRequest request, string id,
        CancellationToken cancellationToken) => DeleteAsync(request, id, cancellationToken);

    [Function("ResponsesInputItemsV1")]
    public Task<IResult> InputItemsV1([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.ResponseInputItemsV1)] HttpRequest request, string id,
        CancellationToken cancellationToken) => InputItemsAsync(request, id, cancellationToken);

    [Function("ResponsesInputItems")]
    public Task<IResult> InputItems([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.ResponseInputItems)] HttpRequest request, string id,
        CancellationToken cancellationToken) => InputItemsAsync(request, id, cancellationToken);

    private async Task<IResult> CreateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(request, cancellationToken);
        var body = await bodies.ReadJsonAsync<ResponsesRequest>(request, cancel.Token, ResponsesJson.Options);
        await responses.CreateAsync(request.HttpContext, body, cancel.Token);
        return Results.Empty;
    }

    private async Task<IResult> GetAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(request, cancellationToken);
        var response = await stored.GetAsync(HttpPipeline.CallerId(request.HttpContext), id, cancel.Token);
        return Json(response.ResponseJson);
    }

    private async Task<IResult> DeleteAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(request, cancellationToken);
        await stored.DeleteAsync(HttpPipeline.CallerId(request.HttpContext), id, cancel.Token);
        return Json(JsonSerializer.Serialize(new { id, @object = "response.deleted", deleted = true }));
    }

    private async Task<IResult> InputItemsAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(request, cancellationToken);
        var query = request.Query;
        int? limit = query.TryGetValue("limit", out var l) ? int.TryParse(l, out var n) ? n : 0 : null;
        var list = await stored.ListInputItemsAsync(HttpPipeline.CallerId(request.HttpContext), id, query["after"].ToString(), limit,
            query.TryGetValue("order", out var order) ? order.ToString() : null, cancel.Token);
        return Json(list.ToJsonString());
    }

    private static IResult Json(string json) => Results.Text(json, "application/json; charset=utf-8");
}
