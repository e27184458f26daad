using Microsoft.AspNetCore.Http;
using QwenFunctions.Http;

namespace QwenFunctions.Responses;

/// <summary>Stored responses belong to the API key that made them; with API_KEYS unset, to the one anonymous caller.</summary>
public static class ResponseOwner
{
    public const string Anonymous = "anonymous";

    public static string Of(HttpContext context) => HttpPipeline.ApiKeyId(context) ?? Anonymous;
}
