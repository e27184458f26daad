using System.Net;
using System.Text.Json;
using QwenFunctions.Http;

namespace QwenFunctions.Tests.Anthropic;

public sealed class AnthropicErrorBodyTests
{
    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "invalid_request_error", 400, "invalid_request_error")]
    [InlineData(HttpStatusCode.Unauthorized, "invalid_request_error", 401, "authentication_error")]
    [InlineData(HttpStatusCode.NotFound, "invalid_request_error", 404, "not_found_error")]
    [InlineData(HttpStatusCode.Conflict, "invalid_request_error", 409, "invalid_request_error")]
    [InlineData(HttpStatusCode.RequestEntityTooLarge, "invalid_request_error", 413, "request_too_large")]
    [InlineData(HttpStatusCode.TooManyRequests, "rate_limit_exceeded", 429, "rate_limit_error")]
    [InlineData(HttpStatusCode.InternalServerError, "server_error", 500, "api_error")]
    [InlineData(HttpStatusCode.BadGateway, "server_error", 502, "api_error")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "server_error", 529, "overloaded_error")]
    [InlineData(HttpStatusCode.GatewayTimeout, "server_error", 504, "timeout_error")]
    public void Classify_Status_MapsToAnthropicStatusAndType(HttpStatusCode status, string openAIType, int expectedStatus, string expectedType)
    {
        Assert.Equal((expectedStatus, expectedType), AnthropicErrorBody.Classify(new ApiException(status, openAIType, "some_code", "m")));
    }

    [Fact]
    public void Classify_EveryAccountCoolingDown_IsOverloadedNotARateLimit()
    {
        // The pool is empty for now; 429 stays the signal that this API key went over its own limit.
        var exhausted = new ApiException(HttpStatusCode.TooManyRequests, "insufficient_quota", "insufficient_quota", "Every Qwen account has reached its chat limit.");

        Assert.Equal((529, "overloaded_error"), AnthropicErrorBody.Classify(exhausted));
    }

    [Fact]
    public void Json_IsAnthropicsErrorObject()
    {
        var json = JsonDocument.Parse(AnthropicErrorBody.Json(ApiException.BadRequest("max_tokens: Field required."), "req_1")).RootElement;

        Assert.Equal("""{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: Field required."},"request_id":"req_1"}""", json.GetRawText());
    }
}
