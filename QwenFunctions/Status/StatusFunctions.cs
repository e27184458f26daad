using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using QwenFunctions.Http;

namespace QwenFunctions.Status;

public sealed class StatusFunctions(StatusService status)
{
    /// <summary>Liveness for load balancers and probes: always anonymous, never calls the upstream.</summary>
    [Function("Health")]
    public Task<IResult> Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Health)] HttpRequest req) =>
        Task.FromResult(Results.Json(new { status = "ok" }, JsonSerializerOptions.Web));

    [Function("Status")]
    public async Task<IResult> StatusAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Status)] HttpRequest req, CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(req, cancellationToken);
        return Results.Json(await status.GetAsync(cancel.Token), JsonSerializerOptions.Web);
    }
}
