using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace QwenFunctions.Tests.Emulator;

/// <summary>Video: t2v creation (§6.5) and task status on the v2 and v1 paths (§6.6).</summary>
public sealed class QwenEmulatorVideoTests(QwenEmulatorFixture fixture) : IClassFixture<QwenEmulatorFixture>
{
    private readonly QwenEmulator _emu = fixture.Emulator;

    [Fact]
    public async Task T2v_StreamFalse_ReturnsTaskIdInWanxExtra()
    {
        using var client = new QwenTestClient(_emu, _emu.AddAccount().Token);
        var chatId = await client.NewChatAsync();

        var body = await CreateVideoAsync(client, chatId, "16:9");

        var data = body.GetProperty("data");
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal(chatId, data.GetProperty("chat_id").GetString());
        Assert.Equal(_emu.GetChat(chatId)!.UserMessages[0].Id, data.GetProperty("parent_id").GetString());
        var message = data.GetProperty("messages")[0];
        Assert.Equal("t2v", message.GetProperty("chat_type").GetString());
        Assert.False(message.GetProperty("done").GetBoolean());
        Assert.Equal("16:9", message.GetProperty("size").GetString());
        var taskId = message.GetProperty("extra").GetProperty("wanx").GetProperty("task_id").GetString();
        Assert.Equal(taskId, _emu.GetChat(chatId)!.AssistantMessages[0].VideoTaskId);
        Assert.Equal(data.GetProperty("message_id").GetString(), _emu.GetChat(chatId)!.AssistantMessages[0].Id);
    }

    [Fact]
    public async Task T2v_SizeOutsideTheFiveRatios_ReturnsBadRequest()
    {
        using var client = new QwenTestClient(_emu, _emu.AddAccount().Token);
        var chatId = await client.NewChatAsync();

        var body = await CreateVideoAsync(client, chatId, "21:9");

        Assert.Equal("Bad_Request", body.GetProperty("data").GetProperty("code").GetString());
    }

    [Fact]
    public async Task TaskStatusV2_RunningThenSuccess_AlwaysHttp200WithActualStatus()
    {
        using var client = new QwenTestClient(_emu, _emu.AddAccount().Token);
        var taskId = await NewTaskAsync(client);

        using var first = await client.Http.GetAsync($"api/v2/task/status/{taskId}");
        using var second = await client.Http.GetAsync($"api/v2/task/status/{taskId}");
        var running = await DataAsync(first);
        var success = await DataAsync(second);

        Assert.Equal("200", first.Headers.GetValues("x-actual-status-code").Single());
        Assert.Equal("running", running.GetProperty("task_status").GetString());
        Assert.Equal("success", success.GetProperty("task_status").GetString());
        var url = success.GetProperty("content").GetString()!;
        Assert.EndsWith(".mp4?key=emulated", url, StringComparison.Ordinal);
        Assert.Equal("video/mp4", (await client.Http.GetAsync(url)).Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task TaskStatusV1_ReturnsFlatBody()
    {
        using var client = new QwenTestClient(_emu, _emu.AddAccount().Token);
        var taskId = await NewTaskAsync(client);

        var running = await client.GetJsonAsync($"api/v1/tasks/status/{taskId}");
        var success = await client.GetJsonAsync($"api/v1/tasks/status/{taskId}");

        Assert.False(running.TryGetProperty("data", out _));
        Assert.Equal("running", running.GetProperty("task_status").GetString());
        Assert.Equal("success", success.GetProperty("task_status").GetString());
        Assert.Contains(".mp4", success.GetProperty("content").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TaskStatus_UnknownTaskOrOtherAccount_ReturnsNotFoundWithActual404()
    {
        using var owner = new QwenTestClient(_emu, _emu.AddAccount().Token);
        using var other = new QwenTestClient(_emu, _emu.AddAccount().Token);
        var taskId = await NewTaskAsync(owner);

        foreach (var path in new[] { $"api/v2/task/status/{Guid.NewGuid()}", $"api/v2/task/status/{taskId}" })
        {
            using var response = await other.Http.GetAsync(path);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("404", response.Headers.GetValues("x-actual-status-code").Single());
            Assert.Equal("Not_Found", body.GetProperty("data").GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task TaskStatusV2Disabled_Returns404_AndV1StillAnswers()
    {
        await using var emu = await QwenEmulator.StartAsync(new QwenEmulatorOptions { TaskStatusV2Enabled = false, VideoRunningPolls = 0 });
        using var client = new QwenTestClient(emu, emu.AddAccount().Token);
        var taskId = await NewTaskAsync(client);

        using var v2 = await client.Http.GetAsync($"api/v2/task/status/{taskId}");
        var v1 = await client.GetJsonAsync($"api/v1/tasks/status/{taskId}");

        Assert.Equal(HttpStatusCode.NotFound, v2.StatusCode);
        Assert.Equal("success", v1.GetProperty("task_status").GetString());
    }

    [Fact]
    public async Task TaskLifetime_OnFakeTime_RunningUntilTimeAdvances()
    {
        var time = new FakeTimeProvider();
        var options = new QwenEmulatorOptions { TimeProvider = time, VideoRunningPolls = 0, VideoTaskDuration = TimeSpan.FromMinutes(2) };
        await using var emu = await QwenEmulator.StartAsync(options);
        using var client = new QwenTestClient(emu, emu.AddAccount().Token);
        var taskId = await NewTaskAsync(client);

        var before = await client.GetJsonAsync($"api/v2/task/status/{taskId}");
        time.Advance(TimeSpan.FromMinutes(2));
        var after = await client.GetJsonAsync($"api/v2/task/status/{taskId}");

        Assert.Equal("running", before.GetProperty("data").GetProperty("task_status").GetString());
        Assert.Equal("success", after.GetProperty("data").GetProperty("task_status").GetString());
    }

    [Fact]
    public async Task VideoTaskFails_Fault_EndsWithFailureStatus()
    {
        var account = _emu.AddAccount();
        using var client = new QwenTestClient(_emu, account.Token);
        _emu.Faults.Enqueue(Fault.VideoTaskFails("failed"), token: account.Token, endpoint: EmulatorEndpoint.VideoCompletion);
        var taskId = await NewTaskAsync(client);

        await client.GetJsonAsync($"api/v2/task/status/{taskId}");
        var final = (await client.GetJsonAsync($"api/v2/task/status/{taskId}")).GetProperty("data");

        Assert.Equal("failed", final.GetProperty("task_status").GetString());
        Assert.Equal("", final.GetProperty("content").GetString());
    }

    [Fact]
    public async Task RateLimited_AtVideoCreation_LeavesTextCompletionsWorking()
    {
        var account = _emu.AddAccount();
        using var client = new QwenTestClient(_emu, account.Token);
        _emu.Faults.SetSticky(account.Token, Fault.RateLimited(num: 19), EmulatorEndpoint.VideoCompletion);
        var chatId = await client.NewChatAsync();

        var video = await CreateVideoAsync(client, chatId, "1:1");
        var text = await client.CompleteAsync(await client.NewChatAsync(), "still fine");

        Assert.Equal(19, video.GetProperty("data").GetProperty("num").GetInt32());
        Assert.Equal("Echo: still fine", QwenTestClient.AnswerText(text));
    }

    [Fact]
    public async Task ChatDetails_AfterVideo_CarryTaskIdForFallback()
    {
        using var client = new QwenTestClient(_emu, _emu.AddAccount().Token);
        var chatId = await client.NewChatAsync();
        var taskId = (await CreateVideoAsync(client, chatId, "9:16")).GetProperty("data").GetProperty("messages")[0]
            .GetProperty("extra").GetProperty("wanx").GetProperty("task_id").GetString();

        var details = await client.GetJsonAsync($"api/v2/chats/{chatId}");

        var assistant = details.GetProperty("data").GetProperty("chat").GetProperty("messages")[1];
        Assert.Equal(taskId, assistant.GetProperty("content_list")[0].GetProperty("extra").GetProperty("wanx").GetProperty("task_id").GetString());
    }

    private static async Task<JsonElement> CreateVideoAsync(QwenTestClient client, string chatId, string size)
    {
        var body = QwenTestClient.CompletionBody(chatId, "A red kite over green hills", chatType: "t2v", stream: false, size: size);
        body["messages"]![0]!["extra"]!["meta"]!["size"] = size;
        using var response = await client.SendCompletionAsync(chatId, body);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task<string> NewTaskAsync(QwenTestClient client)
    {
        var body = await CreateVideoAsync(client, await client.NewChatAsync(), "16:9");
        return body.GetProperty("data").GetProperty("messages")[0].GetProperty("extra").GetProperty("wanx").GetProperty("task_id").GetString()!;
    }

    private static async Task<JsonElement> DataAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data").Clone();
}
