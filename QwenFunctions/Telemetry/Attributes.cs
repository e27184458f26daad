namespace QwenFunctions.Telemetry;

/// <summary>Attribute names: OpenTelemetry semantic conventions where one exists, else qwen.*.</summary>
public static class Attributes
{
    public const string ProviderName = "gen_ai.provider.name";
    public const string OperationName = "gen_ai.operation.name";
    public const string TokenType = "gen_ai.token.type";
    public const string ErrorType = "error.type";
    public const string HttpStatusCode = "http.response.status_code";
    public const string HttpMethod = "http.request.method";
    public const string Surface = "qwen.surface";
    public const string RouteFamily = "qwen.route_family";
    public const string Outcome = "qwen.outcome";
    public const string OutcomeClass = "qwen.outcome_class";
    public const string Feature = "qwen.feature";
    public const string StreamEndReason = "qwen.stream.end_reason";
    public const string AccountState = "qwen.account.state";
    public const string VideoState = "qwen.video.state";
    public const string Account = "qwen.account";
    public const string UpstreamRoute = "qwen.upstream.route";
    public const string Attempt = "qwen.attempt";
}
