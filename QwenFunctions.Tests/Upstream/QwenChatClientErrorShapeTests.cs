using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using QwenFunctions.Configuration;
using QwenFunctions.Tests.Accounts;
using QwenFunctions.Tests.Hosting;
using QwenFunctions.Upstream;

namespace QwenFunctions.Tests.Upstream;

/// <summary>Error answers our emulator does not produce but the protocol allows: event-stream bodies with a real status header.</summary>
public sealed class QwenChatClientErrorShapeTests
{
    [Theory]
    [InlineData(429, "data: {\"success\":false,\"data\":{\"code\":\"RateLimited\",\"details\":\"limit\",\"num\":2}}\n\n", UpstreamErrorKind.RateLimited, 2.0)]
    [InlineData(400, "data: {\"error\":{\"code\":\"data_inspection_failed\",\"details\":\"bad\"}}\n\n", UpstreamErrorKind.ContentFilter, null)]
    [InlineData(200, "{\"success\":false,\"request_id\":\"r\",\"data\":{\"code\":\"RateLimited\",\"num\":3}}", UpstreamErrorKind.RateLimited, 3.0)]
    [InlineData(200, "{\"error\":{\"code\":\"data_inspection_failed\",\"details\":\"bad\"}}", UpstreamErrorKind.ContentFilter, null)]
    [InlineData(401, "", UpstreamErrorKind.Unauthorized, null)]
    [InlineData(200, "", UpstreamErrorKind.EmptyStream, null)]
    public async Task StreamAsync_EventStreamCarryingAnError_KeepsItsKindAndHours(int actualStatus, string body, UpstreamErrorKind kind, double? hours)
    {
        var client = Client(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "text/event-stream") };
            response.Headers.Add("x-actual-status-code", actualStatus.ToString());
            return response;
        });

        var error = await Assert.ThrowsAsync<QwenUpstreamException>(async () =>
        {
            await foreach (var _ in client.StreamAsync(new(("token-" + Guid.NewGuid()), null, 0), new QwenCompletionRequest("chat", "m", "hi"), default))
            {
            }
        });

        Assert.Equal(kind, error.Kind);
        Assert.Equal(hours, error.RetryAfterHours);
    }

    private static QwenChatClient Client(Func<HttpRequestMessage, HttpResponseMessage> respond) =>
        new(new HttpClient(new FuncHandler(respond)) { BaseAddress = new Uri("http://upstream.test/") },
            AccountPoolTests.Monitor(new QwenOptions()), TimeProvider.System, TestMetrics.Create(), NullLogger<QwenChatClient>.Instance);
}
