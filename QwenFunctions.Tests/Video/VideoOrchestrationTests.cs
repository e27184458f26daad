using Microsoft.Extensions.DependencyInjection;
using QwenFunctions.Accounts;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Video;

namespace QwenFunctions.Tests.Video;

/// <summary>The video orchestration end to end: in-process durable host, app activities, emulated upstream.</summary>
public sealed class VideoOrchestrationTests
{
    [Fact]
    public async Task Run_UpstreamSucceeds_CompletesWithVideoUrl()
    {
        await using var host = await VideoTestHost.StartAsync(emulator: o => o.VideoRunningPolls = 2);

        var started = await host.StartJobAsync(size: "9:16");
        var job = await host.WaitForEndAsync(started.Id);

        Assert.Equal(VideoJobStatus.Completed, job.Status);
        Assert.Equal(100, job.Progress);
        var task = Assert.Single(host.Emulator.VideoTasks);
        Assert.Equal(task.VideoUrl, job.VideoUrl);
        Assert.EndsWith(".mp4?key=emulated", job.VideoUrl);
        Assert.NotNull(job.CompletedAt);
        Assert.Equal("9:16", job.AspectRatio);
        Assert.Equal("qwen3.6-plus", job.Model);
        Assert.Equal("9:16", host.Emulator.Chats.Single().Messages.First(m => m.Role == "user").Size);
        Assert.Contains(host.Emulator.Requests, r => r.Path.StartsWith("/api/v2/task/status/"));
    }

    [Fact]
    public async Task Run_V2StatusPathMissing_FallsBackToV1AndCompletes()
    {
        await using var host = await VideoTestHost.StartAsync(emulator: o => o.TaskStatusV2Enabled = false);

        var job = await host.WaitForEndAsync((await host.StartJobAsync()).Id);

        Assert.Equal(VideoJobStatus.Completed, job.Status);
        Assert.Contains(host.Emulator.Requests, r => r.Path.StartsWith("/api/v1/tasks/status/"));
    }

    [Fact]
    public async Task Run_MorePollsThanOneExecutionHolds_ContinuesAsNewAndCompletes()
    {
        await using var host = await VideoTestHost.StartAsync(
            emulator: o => o.VideoRunningPolls = 4,
            settings: new() { ["Video:PollsPerExecution"] = "1" });

        var job = await host.WaitForEndAsync((await host.StartJobAsync()).Id);

        Assert.Equal(VideoJobStatus.Completed, job.Status);
        Assert.Equal("A red kite over green hills", job.Prompt);
        Assert.Equal(5, host.Emulator.VideoTasks.Single().Polls);
        Assert.Single(host.Emulator.Chats); // continuing as new never starts a second video
    }

    [Fact]
    public async Task Run_UpstreamTaskFails_FailsWithGenerationError()
    {
        await using var host = await VideoTestHost.StartAsync();
        host.Emulator.Faults.Enqueue(Fault.VideoTaskFails("failed"), endpoint: EmulatorEndpoint.VideoCompletion);

        var job = await host.WaitForEndAsync((await host.StartJobAsync()).Id);

        Assert.Equal(VideoJobStatus.Failed, job.Status);
        Assert.Equal(VideoErrorCodes.TaskFailed, job.Error!.Code);
        Assert.Contains("failed", job.Error.Message);
        Assert.Null(job.VideoUrl);
    }

    [Fact]
    public async Task Run_UpstreamDoesNotKnowTheTask_FailsWithTaskNotFound()
    {
        await using var host = await VideoTestHost.StartAsync();
        host.Emulator.Faults.SetSticky(host.Accounts[0].Token, Fault.Error("Not_Found", "Task not found", 404), EmulatorEndpoint.TaskStatus);

        var job = await host.WaitForEndAsync((await host.StartJobAsync()).Id);

        Assert.Equal(VideoJobStatus.Failed, job.Status);
        Assert.Equal(VideoErrorCodes.TaskNotFound, job.Error!.Code);
    }

    [Fact]
    public async Task Run_TaskStillRunningAtDeadline_FailsWithTimeout()
    {
        await using var host = await VideoTestHost.StartAsync(
            emulator: o => o.VideoRunningPolls = int.MaxValue,
            settings: new() { ["Video:Deadline"] = "00:00:01" });

        var job = await host.WaitForEndAsync((await host.StartJobAsync()).Id);

        Assert.Equal(VideoJobStatus.Failed, job.Status);
        Assert.Equal(VideoErrorCodes.Timeout, job.Error!.Code);
        Assert.InRange(job.Progress, 5, 95);
    }

    [Fact]
    public async Task Run_RateLimitedAtStart_CoolsThatAccountsVideoAndSucceedsOnAnother()
    {
        await using var host = await VideoTestHost.StartAsync(accounts: 2);
        var limited = host.Accounts[0];
        host.Emulator.Faults.SetSticky(limited.Token, Fault.RateLimited(num: 5), EmulatorEndpoint.VideoCompletion);

        var job = await host.WaitForEndAsync((await host.StartJobAsync()).Id);

        Assert.Equal(VideoJobStatus.Completed, job.Status);
        Assert.Equal(host.Accounts[1].Token, host.Emulator.VideoTasks.Single().Chat.OwnerToken);
        var health = await host.Pool.GetHealthAsync(host.Pool.Accounts[0], CancellationToken.None);
        Assert.NotNull(health.VideoCooldownUntil);
        Assert.InRange(health.VideoCooldownUntil!.Value - DateTimeOffset.UtcNow, TimeSpan.FromHours(4.9), TimeSpan.FromHours(5));
        Assert.Null(health.ChatCooldownUntil);
    }

    [Fact]
    public async Task Run_EveryAccountRateLimited_FailsWithQuotaExhaustedAndRetryTime()
    {
        await using var host = await VideoTestHost.StartAsync(accounts: 2);
        foreach (var account in host.Accounts)
        {
            host.Emulator.Faults.SetSticky(account.Token, Fault.RateLimited(num: 3), EmulatorEndpoint.VideoCompletion);
        }

        var job = await host.WaitForEndAsync((await host.StartJobAsync()).Id);

        Assert.Equal(VideoJobStatus.Failed, job.Status);
        Assert.Equal(VideoErrorCodes.QuotaExhausted, job.Error!.Code);
        Assert.Contains("retry after", job.Error.Message);
        Assert.Empty(host.Emulator.VideoTasks);
    }

    [Fact]
    public async Task Run_CreationAlwaysAnswered502_FailsUnconfirmedAndNeverMovesToAnotherAccount()
    {
        await using var host = await VideoTestHost.StartAsync(accounts: 2);
        host.Emulator.Faults.SetSticky(host.Accounts[0].Token, Fault.HttpStatus(502), EmulatorEndpoint.VideoCompletion);

        var job = await host.WaitForEndAsync((await host.StartJobAsync()).Id);

        Assert.Equal(VideoJobStatus.Failed, job.Status);
        Assert.Equal(VideoErrorCodes.CreationUnconfirmed, job.Error!.Code);
        Assert.DoesNotContain(host.Emulator.Chats, c => c.OwnerToken == host.Accounts[1].Token);
        Assert.Single(host.Emulator.Chats); // every send went into the one chat, after asking it for a task
        Assert.Null((await host.Pool.GetHealthAsync(host.Pool.Accounts[0], CancellationToken.None)).VideoCooldownUntil);
    }

    [Theory]
    [InlineData(502)]
    [InlineData(0)] // the connection breaks instead
    public async Task Run_UpstreamAcceptedButTheAnswerWasLost_FindsTheTaskInTheChatAndMakesOneVideo(int status)
    {
        await using var host = await VideoTestHost.StartAsync(accounts: 2);
        host.Emulator.Faults.Enqueue(Fault.VideoAcceptedThenFails(status), endpoint: EmulatorEndpoint.VideoCompletion);

        var job = await host.WaitForEndAsync((await host.StartJobAsync()).Id);

        Assert.Equal(VideoJobStatus.Completed, job.Status);
        var task = Assert.Single(host.Emulator.VideoTasks);
        Assert.Equal(task.VideoUrl, job.VideoUrl);
        Assert.Single(host.Emulator.Requests, r => r.Path == "/api/v2/chat/completions");
    }

    [Fact]
    public async Task Run_CreationRefusedOnceWith502_SendsAgainInTheSameChatAndMakesOneVideo()
    {
        await using var host = await VideoTestHost.StartAsync(accounts: 2);
        host.Emulator.Faults.Enqueue(Fault.HttpStatus(502), endpoint: EmulatorEndpoint.VideoCompletion);

        var job = await host.WaitForEndAsync((await host.StartJobAsync()).Id);

        Assert.Equal(VideoJobStatus.Completed, job.Status);
        var task = Assert.Single(host.Emulator.VideoTasks);
        Assert.Same(host.Emulator.Chats.Single(), task.Chat);
        Assert.Equal(host.Accounts[0].Token, task.Chat.OwnerToken);
    }

    [Fact]
    public async Task Run_SendActivityDiesAfterTheUpstreamAccepted_RunsAgainAndFindsTheExistingTask()
    {
        var runs = 0;
        await using var host = await VideoTestHost.StartAsync(accounts: 2, sendActivity: async (_, real) =>
        {
            var result = await real();
            // The worker dies before the activity's result is recorded: durable runs it again.
            return Interlocked.Increment(ref runs) == 1 ? throw new InvalidOperationException("worker recycled") : result;
        });

        var job = await host.WaitForEndAsync((await host.StartJobAsync()).Id);

        Assert.Equal(VideoJobStatus.Completed, job.Status);
        Assert.Equal(2, runs);
        Assert.Single(host.Emulator.VideoTasks);
        Assert.Single(host.Emulator.Requests, r => r.Path == "/api/v2/chat/completions");
    }

    [Fact]
    public async Task SendActivity_DeliveredTwice_SendsOnceAndAnswersTheSameTask()
    {
        await using var host = await VideoTestHost.StartAsync();
        var service = host.Services.GetRequiredService<VideoUpstreamService>();
        var chat = await service.CreateChatAsync(new VideoChatRequest(null), CancellationToken.None);
        var request = new VideoSendRequest(chat.ChatId!, chat.AccountId!, chat.Model!, "A red kite", "16:9");

        var first = await service.SendAsync(request, CancellationToken.None);
        var second = await service.SendAsync(request, CancellationToken.None);

        Assert.Equal(VideoSendOutcome.Started, first.Outcome);
        Assert.Equal(first, second);
        Assert.Equal(host.Emulator.VideoTasks.Single().Id, first.TaskId);
    }

    [Fact]
    public async Task Run_CreationUnansweredInTime_FailsWithoutTryingAnotherAccount()
    {
        await using var host = await VideoTestHost.StartAsync(accounts: 2, settings: new() { ["Qwen:Timeouts:Request"] = "00:00:00.300" });
        host.Emulator.Faults.SetSticky(host.Accounts[0].Token, Fault.SlowFirstByte(TimeSpan.FromSeconds(5)), EmulatorEndpoint.VideoCompletion);

        var job = await host.WaitForEndAsync((await host.StartJobAsync()).Id);

        Assert.Equal(VideoJobStatus.Failed, job.Status);
        Assert.Equal(VideoErrorCodes.CreationUnconfirmed, job.Error!.Code);
        Assert.DoesNotContain(host.Emulator.Chats, c => c.OwnerToken == host.Accounts[1].Token); // the request may have spent a video: no second one
    }

    [Fact]
    public async Task Run_AccountRevokedWhilePolling_FailsWithAccountInvalidAndMarksAccount()
    {
        await using var host = await VideoTestHost.StartAsync(emulator: o => o.VideoRunningPolls = int.MaxValue);
        var started = await host.StartJobAsync();
        await host.WaitForInProgressAsync(started.Id);

        host.Emulator.Revoke(host.Accounts[0].Token);
        var job = await host.WaitForEndAsync(started.Id);

        Assert.Equal(VideoJobStatus.Failed, job.Status);
        Assert.Equal(VideoErrorCodes.AccountInvalid, job.Error!.Code);
        Assert.True((await host.Pool.GetHealthAsync(host.Pool.Accounts[0], CancellationToken.None)).Invalid);
    }

    [Fact]
    public async Task Cancel_RunningJob_StatusBecomesCancelledAndPollingStops()
    {
        await using var host = await VideoTestHost.StartAsync(emulator: o => o.VideoRunningPolls = int.MaxValue);
        var started = await host.StartJobAsync();
        var running = await host.WaitForInProgressAsync(started.Id);

        var cancelled = await host.Jobs.CancelAsync(host.Client, started.Id, QwenFunctions.Http.HttpPipeline.AnonymousCaller, CancellationToken.None);

        Assert.Equal(VideoJobStatus.InProgress, running.Status);
        Assert.InRange(running.Progress, 5, 95);
        Assert.Equal(VideoJobStatus.Cancelled, cancelled.Status);
        Assert.Equal(VideoJobStatus.Cancelled, (await host.WaitForEndAsync(started.Id)).Status);
    }
}
