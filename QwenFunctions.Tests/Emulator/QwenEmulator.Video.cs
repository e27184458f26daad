using System.Text.Json.Nodes;

namespace QwenFunctions.Tests.Emulator;

// t2v / i2v creation (§6.5) and task status on both paths (§6.6).
public sealed partial class QwenEmulator
{
    private async Task CreateVideoAsync(Turn t, string size)
    {
        var r = t.Request;
        var taskId = Guid.NewGuid().ToString();
        var assistant = AddAssistant(t);
        assistant.VideoTaskId = taskId;
        var url = new Uri(CdnBaseAddress, $"output/{t.Chat.Owner.UserId}/{t.User.ChatType}/{t.Chat.Id}/{taskId}.mp4?key=emulated").ToString();
        var failure = r.Fault?.Kind == FaultKind.VideoTaskFails ? r.Fault.Details ?? "failed" : null;
        _tasks[taskId] = new EmulatorVideoTask(taskId, t.Chat, assistant, r.Now, url, failure);
        if (r.Fault?.Kind == FaultKind.VideoAcceptedThenFails)
        {
            if (r.Fault.StatusCode == 0) r.Http.Abort();
            else await r.WriteTextAsync("<html><body>502 Bad Gateway</body></html>", "text/html", r.Fault.StatusCode);
            return;
        }
        await r.WriteSuccessAsync(new JsonObject
        {
            ["chat_id"] = t.Chat.Id,
            ["parent_id"] = t.User.Id,
            ["message_id"] = t.ResponseId,
            ["messages"] = new JsonArray(new JsonObject
            {
                ["role"] = "assistant", ["content"] = "", ["done"] = false, ["size"] = size, ["chat_type"] = t.User.ChatType,
                ["extra"] = new JsonObject { ["wanx"] = new JsonObject { ["task_id"] = taskId } },
            }),
        });
    }

    private async Task TaskStatusAsync(EmulatorRequest r, string taskId, bool v2)
    {
        if (v2 && !Options.TaskStatusV2Enabled)
        {
            await r.WriteTextAsync("{\"detail\":\"Not Found\"}", "application/json", 404);
            return;
        }
        if (!await r.RequireAccountAsync() || await r.ApplyFaultAsync(EmulatorEndpoint.TaskStatus)) return;
        if (!_tasks.TryGetValue(taskId, out var task) || task.Chat.Owner != r.Account)
        {
            await r.WriteErrorAsync("Not_Found", "Task not found", 404);
            return;
        }
        var status = task.Poll(r.Now, Options);
        var content = status == "success" ? task.VideoUrl : "";
        var message = status is "success" or "running" ? "" : "Video generation failed.";
        if (v2)
        {
            await r.WriteSuccessAsync(new JsonObject
            {
                ["chat_type"] = task.Message.ChatType, ["task_status"] = status, ["message"] = message, ["content"] = content,
                ["remaining_time"] = "", ["sub_chat_type"] = null, ["duration"] = null,
            });
            return;
        }
        await r.WriteJsonAsync(new JsonObject
        {
            ["task_id"] = task.Id, ["task_status"] = status, ["message"] = message, ["content"] = content,
            ["chat_type"] = task.Message.ChatType,
        });
    }
}

/// <summary>A video generation task: <c>running</c> until enough polls and time have passed, then <c>success</c> (or a failure).</summary>
public sealed class EmulatorVideoTask
{
    private readonly object _gate = new();
    private readonly string? _failure;

    internal EmulatorVideoTask(string id, EmulatorChat chat, EmulatorMessage message, DateTimeOffset createdAt, string videoUrl, string? failure)
    {
        Id = id;
        Chat = chat;
        Message = message;
        CreatedAt = createdAt;
        VideoUrl = videoUrl;
        _failure = failure;
    }

    /// <summary>Task id (<c>extra.wanx.task_id</c>).</summary>
    public string Id { get; }

    /// <summary>The chat the task was created in.</summary>
    public EmulatorChat Chat { get; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>URL delivered on success.</summary>
    public string VideoUrl { get; }

    /// <summary>Status polls received so far (both paths).</summary>
    public int Polls { get; private set; }

    /// <summary>Current status: <c>running</c>, <c>success</c> or the scripted failure status.</summary>
    public string Status { get; private set; } = "running";

    internal EmulatorMessage Message { get; }

    internal string Poll(DateTimeOffset now, QwenEmulatorOptions options)
    {
        lock (_gate)
        {
            Polls++;
            if (Status == "running" && Polls > options.VideoRunningPolls && now - CreatedAt >= options.VideoTaskDuration)
            {
                Status = _failure ?? "success";
                Message.Content = _failure is null ? VideoUrl : "";
                Message.Done = true;
            }
            return Status;
        }
    }
}
