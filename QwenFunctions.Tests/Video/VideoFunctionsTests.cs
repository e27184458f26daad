using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using QwenFunctions.Http;
using QwenFunctions.Video;

namespace QwenFunctions.Tests.Video;

/// <summary>The HTTP functions, called with a DefaultHttpContext through the app's HTTP pipeline and the in-process durable client.</summary>
public sealed class VideoFunctionsTests
{
    [Fact]
    public async Task Create_ValidRequest_Answers202WithOurStatusUrlOnly()
    {
        await using var host = await VideoTestHost.StartAsync();
        var http = host.HttpContext("POST", "/api/videos", """{"prompt":"A red kite","size":"4:3"}""");

        var (status, body) = await ExecuteAsync(http, () => host.NativeFunctions().CreateAsync(http.Request, host.Client, CancellationToken.None));

        Assert.Equal(StatusCodes.Status202Accepted, status);
        var id = body.GetProperty("id").GetString()!;
        Assert.Matches("^video_[0-9a-f]{32}$", id);
        Assert.Equal($"/api/videos/{id}", http.Response.Headers.Location.ToString());
        Assert.Equal($"/api/videos/{id}", body.GetProperty("status_url").GetString());
        Assert.Equal("1", http.Response.Headers.RetryAfter.ToString()); // the 100 ms test poll interval, rounded up
        Assert.Equal("queued", body.GetProperty("status").GetString());
        Assert.Equal("4:3", body.GetProperty("size").GetString());
        Assert.DoesNotContain("runtime/webhooks", body.GetRawText());
        Assert.DoesNotContain("code=", http.Response.Headers.Location.ToString());
    }

    [Fact]
    public async Task Create_SizeNotAnAspectRatio_Answers400ProblemNamingAllowedValues()
    {
        await using var host = await VideoTestHost.StartAsync();
        var http = host.HttpContext("POST", "/api/videos", """{"prompt":"A red kite","size":"1920x1080"}""");

        var (status, body) = await ExecuteAsync(http, () => host.NativeFunctions().CreateAsync(http.Request, host.Client, CancellationToken.None));

        Assert.Equal(StatusCodes.Status400BadRequest, status);
        Assert.StartsWith("application/problem+json", http.Response.ContentType);
        Assert.Contains("1:1, 3:4, 4:3, 16:9, 9:16", body.GetProperty("detail").GetString());
        Assert.Empty(host.Emulator.Chats);
    }

    [Fact]
    public async Task Create_MissingPrompt_Answers400()
    {
        await using var host = await VideoTestHost.StartAsync();
        var http = host.HttpContext("POST", "/api/videos", """{"size":"1:1"}""");

        var (status, body) = await ExecuteAsync(http, () => host.NativeFunctions().CreateAsync(http.Request, host.Client, CancellationToken.None));

        Assert.Equal(StatusCodes.Status400BadRequest, status);
        Assert.Equal("prompt", body.GetProperty("param").GetString());
    }

    [Fact]
    public async Task Create_EveryAccountsVideoCoolingDown_Answers429WithRetryAfterAndStartsNothing()
    {
        await using var host = await VideoTestHost.StartAsync();
        await host.Pool.CoolDownAsync(host.Pool.Accounts[0], QwenFunctions.Accounts.QwenFeature.Video, TimeSpan.FromHours(2), "RateLimited", CancellationToken.None);
        var http = host.HttpContext("POST", "/api/videos", """{"prompt":"A red kite"}""");

        var (status, body) = await ExecuteAsync(http, () => host.NativeFunctions().CreateAsync(http.Request, host.Client, CancellationToken.None));

        Assert.Equal(StatusCodes.Status429TooManyRequests, status);
        Assert.Equal("insufficient_quota", body.GetProperty("code").GetString());
        Assert.InRange(int.Parse(http.Response.Headers.RetryAfter.ToString()), 7000, 7200);
        Assert.Equal("false", http.Response.Headers["x-should-retry"].ToString());
        Assert.DoesNotContain(host.Emulator.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task Create_SameIdempotencyKeyTwice_StartsOneJob()
    {
        await using var host = await VideoTestHost.StartAsync();
        var first = host.HttpContext("POST", "/api/videos", """{"prompt":"A red kite"}""");
        first.Request.Headers["Idempotency-Key"] = "order-42";
        var second = host.HttpContext("POST", "/api/videos", """{"prompt":"A red kite"}""");
        second.Request.Headers["Idempotency-Key"] = "order-42";

        var (_, one) = await ExecuteAsync(first, () => host.NativeFunctions().CreateAsync(first.Request, host.Client, CancellationToken.None));
        var (_, two) = await ExecuteAsync(second, () => host.NativeFunctions().CreateAsync(second.Request, host.Client, CancellationToken.None));
        await host.WaitForEndAsync(one.GetProperty("id").GetString()!);

        Assert.Equal(one.GetProperty("id").GetString(), two.GetProperty("id").GetString());
        Assert.Single(host.Emulator.VideoTasks);
    }

    [Fact]
    public async Task Get_UnknownId_Answers404()
    {
        await using var host = await VideoTestHost.StartAsync();
        var http = host.HttpContext("GET", "/api/videos/video_00000000000000000000000000000000");

        var (status, body) = await ExecuteAsync(http, () => host.NativeFunctions().GetAsync(http.Request, host.Client, "video_00000000000000000000000000000000", CancellationToken.None));

        Assert.Equal(StatusCodes.Status404NotFound, status);
        Assert.Equal("video_not_found", body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task GetAndContent_CompletedJob_ReportsJobAndRedirectsToVideo()
    {
        await using var host = await VideoTestHost.StartAsync();
        var job = await host.StartJobAsync(prompt: "Waves at dusk", size: "1:1");
        await host.WaitForEndAsync(job.Id);
        var functions = host.NativeFunctions();

        var get = host.HttpContext("GET", $"/api/videos/{job.Id}");
        var (status, body) = await ExecuteAsync(get, () => functions.GetAsync(get.Request, host.Client, job.Id, CancellationToken.None));
        var content = host.HttpContext("GET", $"/api/videos/{job.Id}/content");
        var (contentStatus, _) = await ExecuteAsync(content, () => functions.GetContentAsync(content.Request, host.Client, job.Id, CancellationToken.None));

        Assert.Equal(StatusCodes.Status200OK, status);
        Assert.Equal("completed", body.GetProperty("status").GetString());
        Assert.Equal(100, body.GetProperty("progress").GetInt32());
        Assert.Equal("Waves at dusk", body.GetProperty("prompt").GetString());
        Assert.Equal("1:1", body.GetProperty("size").GetString());
        Assert.Equal("qwen3.6-plus", body.GetProperty("model").GetString());
        Assert.NotEqual(JsonValueKind.Null, body.GetProperty("completed_at").ValueKind);
        var url = body.GetProperty("video_url").GetString()!;
        Assert.Equal(StatusCodes.Status302Found, contentStatus);
        Assert.Equal(url, content.Response.Headers.Location.ToString());
    }

    [Fact]
    public async Task Content_RunningJob_Answers409()
    {
        await using var host = await VideoTestHost.StartAsync(emulator: o => o.VideoRunningPolls = int.MaxValue);
        var job = await host.StartJobAsync();
        var http = host.HttpContext("GET", $"/api/videos/{job.Id}/content");

        var (status, body) = await ExecuteAsync(http, () => host.NativeFunctions().GetContentAsync(http.Request, host.Client, job.Id, CancellationToken.None));

        Assert.Equal(StatusCodes.Status409Conflict, status);
        Assert.Equal("video_not_ready", body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Delete_RunningJob_AnswersCancelledJob()
    {
        await using var host = await VideoTestHost.StartAsync(emulator: o => o.VideoRunningPolls = int.MaxValue);
        var job = await host.StartJobAsync();
        await host.WaitForInProgressAsync(job.Id);
        var http = host.HttpContext("DELETE", $"/api/videos/{job.Id}");

        var (status, body) = await ExecuteAsync(http, () => host.NativeFunctions().CancelAsync(http.Request, host.Client, job.Id, CancellationToken.None));

        Assert.Equal(StatusCodes.Status200OK, status);
        Assert.Equal("cancelled", body.GetProperty("status").GetString());
        Assert.Equal(VideoJobStatus.Cancelled, (await host.Jobs.GetAsync(host.Client, job.Id, QwenFunctions.Http.HttpPipeline.AnonymousCaller, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task TaskStatus_KnownJob_AnswersSeedShape()
    {
        await using var host = await VideoTestHost.StartAsync();
        var job = await host.StartJobAsync();
        await host.WaitForEndAsync(job.Id);
        var http = host.HttpContext("GET", $"/api/tasks/status/{job.Id}");

        var (status, body) = await ExecuteAsync(http, () => host.NativeFunctions().GetTaskStatusAsync(http.Request, host.Client, job.Id, CancellationToken.None));

        Assert.Equal(StatusCodes.Status200OK, status);
        Assert.Equal(job.Id, body.GetProperty("task_id").GetString());
        Assert.Equal("completed", body.GetProperty("status").GetString());
        Assert.StartsWith("http", body.GetProperty("data").GetProperty("video_url").GetString());
    }

    [Fact]
    public async Task OpenAICreate_PixelSize_MapsToNearestRatioAndAnswersVideoObject()
    {
        await using var host = await VideoTestHost.StartAsync();
        var http = host.HttpContext("POST", "/api/v1/videos", """{"model":"sora-2","prompt":"A red kite","size":"1080x1920","seconds":"8"}""");

        var (status, body) = await ExecuteAsync(http, () => host.OpenAIFunctions().CreateAsync(http.Request, host.Client, CancellationToken.None));
        var id = body.GetProperty("id").GetString()!;
        var job = await host.WaitForEndAsync(id);

        Assert.Equal(StatusCodes.Status202Accepted, status);
        Assert.Equal("video", body.GetProperty("object").GetString());
        Assert.Equal("queued", body.GetProperty("status").GetString());
        Assert.Equal("1080x1920", body.GetProperty("size").GetString());
        Assert.Equal(JsonValueKind.Number, body.GetProperty("created_at").ValueKind);
        Assert.Equal($"/api/v1/videos/{id}", http.Response.Headers.Location.ToString());
        Assert.Equal("9:16", job.AspectRatio);
        Assert.Equal("9:16", host.Emulator.Chats.Single().Messages.First(m => m.Role == "user").Size);
    }

    [Fact]
    public async Task OpenAICreate_DefaultModelConfigured_NamesItAtOnceAndUsesIt()
    {
        await using var host = await VideoTestHost.StartAsync(settings: new() { ["Video:DefaultModel"] = "qwen3.6-plus" });
        var http = host.HttpContext("POST", "/api/v1/videos", """{"model":"sora-2","prompt":"A red kite"}""");

        var (_, body) = await ExecuteAsync(http, () => host.OpenAIFunctions().CreateAsync(http.Request, host.Client, CancellationToken.None));
        await host.WaitForEndAsync(body.GetProperty("id").GetString()!);

        Assert.Equal("qwen3.6-plus", body.GetProperty("model").GetString());
        Assert.Equal("qwen3.6-plus", host.Emulator.Chats.Single().Model);
    }

    [Fact]
    public async Task OpenAICreate_MultipartForm_IsAccepted()
    {
        await using var host = await VideoTestHost.StartAsync();
        var http = host.HttpContext("POST", "/api/v1/videos");
        http.Request.ContentType = "application/x-www-form-urlencoded";
        http.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes("prompt=A+red+kite&size=1280x720"));

        var (status, body) = await ExecuteAsync(http, () => host.OpenAIFunctions().CreateAsync(http.Request, host.Client, CancellationToken.None));

        Assert.Equal(StatusCodes.Status202Accepted, status);
        Assert.Equal("A red kite", body.GetProperty("prompt").GetString());
    }

    [Fact]
    public async Task OpenAICreate_InvalidSize_Answers400Envelope()
    {
        await using var host = await VideoTestHost.StartAsync();
        var http = host.HttpContext("POST", "/api/v1/videos", """{"prompt":"A red kite","size":"huge"}""");

        var (status, body) = await ExecuteAsync(http, () => host.OpenAIFunctions().CreateAsync(http.Request, host.Client, CancellationToken.None));

        Assert.Equal(StatusCodes.Status400BadRequest, status);
        var error = body.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("size", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task OpenAIGet_UnknownId_Answers404Envelope()
    {
        await using var host = await VideoTestHost.StartAsync();
        var http = host.HttpContext("GET", "/api/v1/videos/nope");

        var (status, body) = await ExecuteAsync(http, () => host.OpenAIFunctions().GetAsync(http.Request, host.Client, "nope", CancellationToken.None));

        Assert.Equal(StatusCodes.Status404NotFound, status);
        Assert.Equal("video_not_found", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task OpenAIGet_FailedJob_ReportsErrorCodeAndMessage()
    {
        await using var host = await VideoTestHost.StartAsync();
        host.Emulator.Faults.SetSticky(host.Accounts[0].Token, Emulator.Fault.RateLimited(num: 2), Emulator.EmulatorEndpoint.VideoCompletion);
        var job = await host.StartJobAsync();
        await host.WaitForEndAsync(job.Id);
        var http = host.HttpContext("GET", $"/api/v1/videos/{job.Id}");

        var (status, body) = await ExecuteAsync(http, () => host.OpenAIFunctions().GetAsync(http.Request, host.Client, job.Id, CancellationToken.None));

        Assert.Equal(StatusCodes.Status200OK, status);
        Assert.Equal("failed", body.GetProperty("status").GetString());
        Assert.Equal(VideoErrorCodes.QuotaExhausted, body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task OpenAIDelete_CompletedJob_AnswersDeletedAndForgetsIt()
    {
        await using var host = await VideoTestHost.StartAsync();
        var job = await host.StartJobAsync();
        await host.WaitForEndAsync(job.Id);
        var http = host.HttpContext("DELETE", $"/api/v1/videos/{job.Id}");

        var (status, body) = await ExecuteAsync(http, () => host.OpenAIFunctions().DeleteAsync(http.Request, host.Client, job.Id, CancellationToken.None));

        Assert.Equal(StatusCodes.Status200OK, status);
        Assert.True(body.GetProperty("deleted").GetBoolean());
        Assert.Equal("video.deleted", body.GetProperty("object").GetString());
        await Assert.ThrowsAsync<QwenFunctions.Http.ApiException>(() => host.Jobs.GetAsync(host.Client, job.Id, QwenFunctions.Http.HttpPipeline.AnonymousCaller, CancellationToken.None));
    }

    /// <summary>Runs the function inside the app's <see cref="HttpPipeline"/>, as the worker middleware does, then its result.</summary>
    private static async Task<(int Status, JsonElement Body)> ExecuteAsync(HttpContext http, Func<Task<IResult>> function)
    {
        IResult? result = null;
        await http.RequestServices.GetRequiredService<HttpPipeline>().RunAsync(http, async () => result = await function());
        if (result is not null)
        {
            await result.ExecuteAsync(http);
        }

        http.Response.Body.Position = 0;
        var text = await new StreamReader(http.Response.Body).ReadToEndAsync();
        return (http.Response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
