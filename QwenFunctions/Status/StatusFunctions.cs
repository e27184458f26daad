using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using QwenFunctions.Docs;
using QwenFunctions.Http;

namespace QwenFunctions.Status;

public sealed class StatusFunctions(StatusService status)
{
    /// <summary>Liveness for load balancers and probes: always anonymous, never calls the upstream.</summary>
    [OpenApiOperation("health", "Status", Summary = "Liveness", Description = "Always anonymous; never calls chat.qwen.ai.")]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.Json, typeof(HealthReport), Description = "Alive.")]
    [Function("Health")]
    public Task<IResult> Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Health)] HttpRequest req) =>
        Task.FromResult(Results.Json(new HealthReport("ok"), JsonSerializerOptions.Web));

    [OpenApiOperation("status", "Status", Summary = "Account pool status")]
    [OpenApiResponseWithBody(HttpStatusCode.OK, OpenApiErrors.Json, typeof(StatusReport), Description = "Per-account and per-feature state.")]
    [Function("Status")]
    public async Task<IResult> StatusAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Status)] HttpRequest req, CancellationToken cancellationToken)
    {
        using var cancel = RequestCancellation.Link(req, cancellationToken);
        return Results.Json(await status.GetAsync(cancel.Token), JsonSerializerOptions.Web);
    }
}

/// <param name="Status">Always "ok" while the app answers.</param>
public sealed record HealthReport(string Status);
