using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.OpenApi;
using QwenFunctions.Http;

namespace QwenFunctions.Docs;

/// <summary>
/// The errors the HTTP pipeline itself can answer before any function runs (API key, client request limit), added to
/// every operation it meters so no contributor can forget them. Which routes are metered and which error shape they
/// speak come from the pipeline's own rules (<see cref="ApiKeyGate.IsUnmetered"/>, <see cref="RouteFamily.ShapeOf"/>).
/// </summary>
public static class OpenApiGatewayResponses
{
    private const string ClientLimitDescription =
        "This API key made more requests this minute than its limit (State:ClientLimits:RequestsPerMinute) allows.";

    public static void Apply(OpenApiPaths paths, string routePrefix)
    {
        foreach (var (path, item) in paths)
        {
            var fullPath = new PathString("/" + routePrefix + path);
            if (ApiKeyGate.IsUnmetered(fullPath))
            {
                continue;
            }

            var shape = RouteFamily.ShapeOf(fullPath);
            foreach (var operation in item.Operations?.Values.AsEnumerable() ?? [])
            {
                if (!operation.Responses!.ContainsKey(Code(HttpStatusCode.Unauthorized)))
                {
                    operation.WithError(HttpStatusCode.Unauthorized, shape);
                }

                if (!operation.Responses.ContainsKey(Code(HttpStatusCode.TooManyRequests)))
                {
                    operation.WithError(HttpStatusCode.TooManyRequests, shape, ClientLimitDescription);
                }
            }
        }
    }

    private static string Code(HttpStatusCode status) => ((int)status).ToString();
}
