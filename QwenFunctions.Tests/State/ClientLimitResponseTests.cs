using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using QwenFunctions.Http;
using QwenFunctions.State;

namespace QwenFunctions.Tests.State;

/// <summary>The limiter called where the pipeline will call it: after the API key check, before the function.</summary>
public sealed class ClientLimitResponseTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 50, TimeSpan.Zero));

    [Fact]
    public async Task RunAsync_OverRpmOnOpenAIRoute_Answers429EnvelopeWithRetryHeaders()
    {
        await using var app = StateTestHost.Create(null, "unused", _time, new Dictionary<string, string?>
        {
            ["State:ClientLimits:RequestsPerMinute"] = "1",
            ["API_KEYS"] = "sk-one",
        });
        await SendAsync(app, "/api/v1/chat/completions");

        var context = await SendAsync(app, "/api/v1/chat/completions");

        Assert.Equal(429, context.Response.StatusCode);
        Assert.Equal("10", context.Response.Headers.RetryAfter.ToString());
        Assert.Equal("true", context.Response.Headers["x-should-retry"].ToString());
        var error = Body(context).RootElement.GetProperty("error");
        Assert.Equal("rate_limit_exceeded", error.GetProperty("type").GetString());
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task RunAsync_StreamCapOnNativeRoute_Answers429ProblemDetails()
    {
        await using var app = StateTestHost.Create(null, "unused", _time, new Dictionary<string, string?>
        {
            ["State:ClientLimits:MaxConcurrentStreams"] = "1",
        });
        await using var open = await app.Get<ClientLimiter>().AcquireStreamAsync(null, CancellationToken.None);

        var context = NewContext("/api/chat");
        await app.Get<HttpPipeline>().RunAsync(context, async () =>
        {
            await using var lease = await app.Get<ClientLimiter>().AcquireStreamAsync(HttpPipeline.ApiKeyId(context), context.RequestAborted);
        });

        Assert.Equal(429, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType);
        Assert.Equal("true", context.Response.Headers["x-should-retry"].ToString());
        Assert.Equal("rate_limit_exceeded", Body(context).RootElement.GetProperty("code").GetString());
    }

    private static async Task<HttpContext> SendAsync(StateTestHost app, string path)
    {
        var context = NewContext(path);
        context.Request.Headers.Authorization = "Bearer sk-one";
        await app.Get<HttpPipeline>().RunAsync(context, () =>
            app.Get<ClientLimiter>().AcquireRequestAsync(HttpPipeline.ApiKeyId(context), context.RequestAborted).AsTask());
        return context;
    }

    private static DefaultHttpContext NewContext(string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static JsonDocument Body(HttpContext context) => JsonDocument.Parse(((MemoryStream)context.Response.Body).ToArray());
}
