using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using QwenFunctions.Configuration;
using QwenFunctions.Http;
using QwenFunctions.State;
using QwenFunctions.Tests.Accounts;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Http;

public sealed class HttpPipelineTests
{
    [Theory]
    [InlineData("/api/v1/chat/completions")]
    [InlineData("/api/chat/completions")]
    [InlineData("/api/models")]
    public async Task RunAsync_ApiExceptionOnOpenAIRoute_WritesOpenAIEnvelope(string path)
    {
        var context = Context(path);

        await Pipeline().RunAsync(context, () => throw ApiException.BadRequest("bad temperature", "temperature"));

        var json = Body(context);
        Assert.Equal(400, context.Response.StatusCode);
        Assert.StartsWith("application/json", context.Response.ContentType);
        var error = json.RootElement.GetProperty("error");
        Assert.Equal("bad temperature", error.GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("temperature", error.GetProperty("param").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("code").ValueKind);
    }

    [Fact]
    public async Task RunAsync_ApiExceptionOnNativeRoute_WritesProblemDetailsWithRequestId()
    {
        var context = Context("/api/chat");

        await Pipeline().RunAsync(context, () => throw new ApiException(HttpStatusCode.TooManyRequests, "insufficient_quota", "insufficient_quota", "all limited")
        {
            RetryAfter = TimeSpan.FromMinutes(90),
            ShouldRetry = false,
        });

        var json = Body(context);
        Assert.Equal(429, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType);
        Assert.Equal(429, json.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("all limited", json.RootElement.GetProperty("detail").GetString());
        Assert.Equal("insufficient_quota", json.RootElement.GetProperty("code").GetString());
        Assert.Equal("5400", context.Response.Headers.RetryAfter.ToString());
        Assert.Equal("false", context.Response.Headers["x-should-retry"].ToString());
        Assert.Equal(context.Response.Headers["x-request-id"].ToString(), json.RootElement.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task RunAsync_UnexpectedException_Answers500WithoutInternals()
    {
        var context = Context("/api/v1/models");

        await Pipeline().RunAsync(context, () => throw new InvalidOperationException("secret internal detail"));

        Assert.Equal(500, context.Response.StatusCode);
        var text = Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
        Assert.DoesNotContain("secret internal detail", text);
        Assert.Contains("server_error", text);
    }

    [Fact]
    public async Task RunAsync_CallerRequestId_IsEchoed()
    {
        var context = Context("/api/status");
        context.Request.Headers["x-request-id"] = "abc-123";

        await Pipeline().RunAsync(context, () => Task.CompletedTask);

        Assert.Equal("abc-123", context.Response.Headers["x-request-id"].ToString());
    }

    [Theory]
    [InlineData(null, 401, "missing_api_key")]
    [InlineData("Bearer wrong", 401, "invalid_api_key")]
    [InlineData("Bearer key-two", 200, null)]
    public async Task RunAsync_ApiKeysSet_ChecksBearerKey(string? authorization, int status, string? code)
    {
        var context = Context("/api/v1/models");
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        var reached = false;
        await Pipeline("key-one,key-two").RunAsync(context, () => { reached = true; return Task.CompletedTask; });

        Assert.Equal(status, context.Response.StatusCode);
        Assert.Equal(status == 200, reached);
        if (code is not null)
        {
            Assert.Equal(code, Body(context).RootElement.GetProperty("error").GetProperty("code").GetString());
        }
    }

    [Theory]
    [InlineData("/api/health")]
    [InlineData("/api/swagger/ui")]
    [InlineData("/api/openapi/v3.json")]
    public async Task RunAsync_ApiKeysSet_HealthAndDocsStayAnonymous(string path)
    {
        var context = Context(path);
        var reached = false;

        await Pipeline("key-one").RunAsync(context, () => { reached = true; return Task.CompletedTask; });

        Assert.True(reached);
    }

    [Fact]
    public async Task ReadJsonAsync_DeclaredLengthOverCap_Answers413WithoutReading()
    {
        var reader = new RequestBodyReader(AccountPoolTests.Monitor(new ProxyOptions { MaxJsonBodyBytes = 2048 }));
        var context = Context("/api/chat");
        var body = new UnreadableStream();
        context.Request.Body = body;
        context.Request.ContentLength = 4096;

        var error = await Assert.ThrowsAsync<ApiException>(() => reader.ReadJsonAsync<Dictionary<string, object>>(context.Request, default));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, error.Status);
        Assert.False(body.WasRead);
    }

    [Fact]
    public async Task ReadJsonAsync_ChunkedBodyOverCap_Answers413()
    {
        var reader = new RequestBodyReader(AccountPoolTests.Monitor(new ProxyOptions { MaxJsonBodyBytes = 2048 }));
        var context = Context("/api/chat");
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes("{\"message\":\"" + new string('x', 5000) + "\"}"));

        var error = await Assert.ThrowsAsync<ApiException>(() => reader.ReadJsonAsync<Dictionary<string, object>>(context.Request, default));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, error.Status);
    }

    [Fact]
    public async Task ReadJsonAsync_MalformedJson_Answers400InvalidJson()
    {
        var reader = new RequestBodyReader(AccountPoolTests.Monitor(new ProxyOptions()));
        var context = Context("/api/chat");
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes("{\"message\": "));

        var error = await Assert.ThrowsAsync<ApiException>(() => reader.ReadJsonAsync<Dictionary<string, object>>(context.Request, default));

        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Equal("invalid_json", error.Code);
    }

    [Fact]
    public async Task RunAsync_RequestsPerMinuteExceeded_Answers429WithShouldRetryTrue()
    {
        var limits = new StateOptions();
        limits.ClientLimits.RequestsPerMinute = 2;
        var limiter = new ClientLimiter(AccountPoolTests.Monitor(limits), TimeProvider.System, NullLogger<ClientLimiter>.Instance);
        var gate = new ApiKeyGate(AccountPoolTests.Monitor(new ProxyOptions()), NullLogger<ApiKeyGate>.Instance);
        var pipeline = new HttpPipeline(gate, limiter, TestMetrics.Create(), TimeProvider.System, NullLogger<HttpPipeline>.Instance);
        var statuses = new List<int>();

        for (var i = 0; i < 3; i++)
        {
            var context = Context("/api/v1/models");
            await pipeline.RunAsync(context, () => Task.CompletedTask);
            statuses.Add(context.Response.StatusCode);
            if (i == 2)
            {
                Assert.Equal("true", context.Response.Headers["x-should-retry"].ToString());
                Assert.Equal("rate_limit_exceeded", Body(context).RootElement.GetProperty("error").GetProperty("code").GetString());
            }
        }

        Assert.Equal([200, 200, 429], statuses);
    }

    private static HttpPipeline Pipeline(string? apiKeys = null)
    {
        var options = AccountPoolTests.Monitor(new ProxyOptions { ApiKeys = apiKeys });
        var limiter = new ClientLimiter(AccountPoolTests.Monitor(new StateOptions()), TimeProvider.System, NullLogger<ClientLimiter>.Instance);
        return new HttpPipeline(new ApiKeyGate(options, NullLogger<ApiKeyGate>.Instance), limiter, TestMetrics.Create(), TimeProvider.System, NullLogger<HttpPipeline>.Instance);
    }

    private static DefaultHttpContext Context(string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Request.Method = "POST";
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static JsonDocument Body(HttpContext context) => JsonDocument.Parse(((MemoryStream)context.Response.Body).ToArray());

    private sealed class UnreadableStream : MemoryStream
    {
        public bool WasRead { get; private set; }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            WasRead = true;
            return base.ReadAsync(buffer, cancellationToken);
        }
    }
}
