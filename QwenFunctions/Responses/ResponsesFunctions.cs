using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.OpenApi;
using QwenFunctions.Docs;
using QwenFunctions.Http;

namespace QwenFunctions.Responses;

/// <summary>
/// The OpenAI Responses API under <c>/api/v1/responses</c>, and under <c>/api/responses</c> for clients whose base URL
/// has no <c>/v1</c>. Every route answers OpenAI errors.
/// </summary>
[OpenApiJsonOptions(typeof(ApiJson), nameof(ApiJson.Options))]
public sealed class ResponsesFunctions(ResponsesService responses, StoredResponses stored, RequestBodyReader bodies)
{
    [OpenApiOperation("createResponse", "OpenAI Responses", Summary = "Create a response (OpenAI Responses API)", Description = ResponsesOpenApi.Description)]
    [OpenApiRequestBody(OpenApiErrors.Json, typeof(ResponsesRequest))]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.Json, typeof(ResponseObject),
        Description = "`stream: false`: the response object. `stream: true`: Server-Sent Events `event: response.*` with `data: {type, sequence_number, …}`.")]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.EventStream, typeof(JsonObject), Description = ResponsesOpenApi.Stream)]
    [OpenApiErrors(HttpStatusCode.BadRequest, HttpStatusCode.NotFound, HttpStatusCode.Conflict, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout)]
    [Function("ResponsesCreateV1")]
    public Task<IResult> CreateV1([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.ResponsesV1)] HttpRequest request,
        CancellationToken cancellationToken) => CreateAsync(request, cancellationToken);

    [OpenApiOperation("createResponseUnversioned", "OpenAI Responses", SameAs = nameof(CreateV1))]
    [Function("ResponsesCreate")]
    public Task<IResult> Create([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.Responses)] HttpRequest request,
        CancellationToken cancellationToken) => CreateAsync(request, cancellationToken);

    [OpenApiOperation("getResponse", "OpenAI Responses", Summary = "A stored response")]
    [OpenApiParameter("id", Description = "The response id (resp_…).")]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.Json, typeof(ResponseObject), Description = "The response object as it completed. Responses made by another API key are not found.")]
    [OpenApiErrors(HttpStatusCode.NotFound)]
    [Function("ResponsesGetV1")]
    public Task<IResult> GetV1([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.ResponseV1)] HttpRequest request, string id,
        CancellationToken cancellationToken) => GetAsync(request, id, cancellationToken);

    [OpenApiOperation("getResponseUnversioned", "OpenAI Responses", SameAs = nameof(GetV1))]
    [Function("ResponsesGet")]
    public Task<IResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Response)] HttpRequest request, string id,
        CancellationToken cancellationToken) => GetAsync(request, id, cancellationToken);

    [OpenApiOperation("deleteResponse", "OpenAI Responses", Summary = "Delete a stored response")]
    [OpenApiParameter("id", Description = "The response id (resp_…).")]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.Json, typeof(ResponseDeleted), Description = "Deleted; it can no longer be read or continued.")]
    [OpenApiErrors(HttpStatusCode.NotFound)]
    [Function("ResponsesDeleteV1")]
    public Task<IResult> DeleteV1([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Routes.ResponseV1)] HttpRequest request, string id,
        CancellationToken cancellationToken) => DeleteAsync(request, id, cancellationToken);

    [OpenApiOperation("deleteResponseUnversioned", "OpenAI Responses", SameAs = nameof(DeleteV1))]
    [Function("ResponsesDelete")]
    public Task<IResult> Delete([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Routes.Response)] HttpRequest request, string id,
        CancellationToken cancellationToken) => DeleteAsync(request, id, cancellationToken);

    [OpenApiOperation("listResponseInputItems", "OpenAI Responses", Summary = "The input items of a stored response")]
    [OpenApiParameter("id", Description = "The response id (resp_…).")]
    [OpenApiParameter("after", In = ParameterLocation.Query, Description = "List the items after this item id.")]
    [OpenApiParameter("limit", In = ParameterLocation.Query, Type = typeof(int), Description = "1–100, default 20.")]
    [OpenApiParameter("order", In = ParameterLocation.Query, Description = "asc or desc (default: newest first).")]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.Json, typeof(ResponsesOpenApi.ResponseInputItemList), Description = "A page of input items.")]
    [OpenApiErrors(HttpStatusCode.BadRequest, HttpStatusCode.NotFound)]
    [Function("ResponsesInputItemsV1")]
    public Task<IResult> InputItemsV1([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.ResponseInputItemsV1)] HttpRequest request, string id,
        CancellationToken cancellationToken) => InputItemsAsync(request, id, cancellationToken);

    [OpenApiOperation("listResponseInputItemsUnversioned", "OpenAI Responses", SameAs = nameof(InputItemsV1))]
    [Function("ResponsesInputItems")]
    public Task<IResult> InputItems([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.ResponseInputItems)] HttpRequest request, string id,
        CancellationToken cancellationToken) => InputItemsAsync(request, id, cancellationToken);

    private async Task<IResult> CreateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(request, cancellationToken);
        var body = await bodies.ReadJsonAsync<ResponsesRequest>(request, cancel.Token, ApiJson.Options);
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
        return Json(JsonSerializer.Serialize(new ResponseDeleted(id, "response.deleted", true), JsonSerializerOptions.Web));
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
