using System.Text.Json.Nodes;

namespace QwenFunctions.Tests.Emulator;

// Chat lifecycle (§6.2, §6.7, §6.8) and model listing (§6.1).
public sealed partial class QwenEmulator
{
    private async Task NewChatAsync(EmulatorRequest r)
    {
        if (!await r.RequireAccountAsync() || await r.ApplyFaultAsync(EmulatorEndpoint.ChatsNew)) return;
        var body = r.Json;
        var model = EmulatorJson.GetString(body, "model")
            ?? (body?["models"] is JsonArray { Count: > 0 } models ? models[0]?.GetValue<string>() : null);
        var chat = new EmulatorChat(Guid.NewGuid().ToString(), r.Account!, model, EmulatorJson.GetString(body, "chat_type") ?? "t2t", r.Now)
        {
            Sequence = Interlocked.Increment(ref _chatSequence),
        };
        _chats[chat.Id] = chat;
        await r.WriteSuccessAsync(new JsonObject { ["id"] = chat.Id });
    }

    private async Task StopAsync(EmulatorRequest r)
    {
        if (!await r.RequireAccountAsync() || await r.ApplyFaultAsync(EmulatorEndpoint.Stop)) return;
        var chatId = EmulatorJson.GetString(r.Json, "chat_id") ?? r.Http.Request.Query["chat_id"].FirstOrDefault();
        if (chatId is not null && _chats.TryGetValue(chatId, out var chat) && chat.Owner == r.Account) chat.Stop();
        await r.WriteSuccessAsync(new JsonObject());
    }

    private async Task ModelsAsync(EmulatorRequest r, bool wrapped)
    {
        if (await r.ApplyFaultAsync(EmulatorEndpoint.Models)) return;
        var created = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var list = new JsonArray(Options.Models.Select(m => (JsonNode)m.ToJson(created)).ToArray());
        if (wrapped) await r.WriteSuccessAsync(new JsonObject { ["data"] = list });
        else await r.WriteJsonAsync(new JsonObject { ["data"] = list });
    }

    private async Task ListChatsAsync(EmulatorRequest r)
    {
        if (!await r.RequireAccountAsync() || await r.ApplyFaultAsync(EmulatorEndpoint.Chats)) return;
        if (r.Http.Request.Path.Value?.TrimEnd('/').EndsWith("/pinned", StringComparison.Ordinal) == true)
        {
            await r.WriteSuccessAsync(new JsonArray());
            return;
        }
        var items = _chats.Values.Where(c => c.Owner == r.Account && !c.Deleted).OrderByDescending(c => c.Sequence)
            .Select(c => (JsonNode)new JsonObject
            {
                ["id"] = c.Id, ["title"] = "New Chat", ["chat_type"] = c.ChatType, ["project_id"] = null, ["pinned"] = false,
                ["created_at"] = c.CreatedAt.ToUnixTimeSeconds(), ["updated_at"] = c.CreatedAt.ToUnixTimeSeconds(),
            });
        await r.WriteSuccessAsync(new JsonArray(items.ToArray()));
    }

    private async Task DeleteAllChatsAsync(EmulatorRequest r)
    {
        if (!await r.RequireAccountAsync() || await r.ApplyFaultAsync(EmulatorEndpoint.Chats)) return;
        foreach (var chat in _chats.Values.Where(c => c.Owner == r.Account)) chat.Deleted = true;
        await r.WriteSuccessAsync(new JsonObject { ["status"] = true });
    }

    private async Task DeleteChatAsync(EmulatorRequest r, string chatId)
    {
        if (!await r.RequireAccountAsync() || await r.ApplyFaultAsync(EmulatorEndpoint.Chats)) return;
        var chat = await OwnedChatAsync(r, chatId);
        if (chat is null) return;
        chat.Deleted = true;
        await r.WriteSuccessAsync(new JsonObject { ["status"] = true });
    }

    private async Task ChatDetailsAsync(EmulatorRequest r, string chatId)
    {
        if (chatId == "pinned")
        {
            await ListChatsAsync(r);
            return;
        }
        if (!await r.RequireAccountAsync() || await r.ApplyFaultAsync(EmulatorEndpoint.Chats)) return;
        var chat = await OwnedChatAsync(r, chatId);
        if (chat is null) return;
        var messages = chat.Messages;
        var history = new JsonObject();
        var list = new JsonArray();
        foreach (var m in messages)
        {
            var children = messages.Where(c => c.ParentId == m.Id).Select(c => (JsonNode)JsonValue.Create(c.Id)!).ToArray();
            history[m.Id] = MessageJson(m, children);
            list.Add(MessageJson(m, children));
        }
        await r.WriteSuccessAsync(new JsonObject
        {
            ["id"] = chat.Id, ["user_id"] = chat.Owner.UserId, ["title"] = "New Chat", ["chat_type"] = chat.ChatType,
            ["created_at"] = chat.CreatedAt.ToUnixTimeSeconds(), ["updated_at"] = chat.CreatedAt.ToUnixTimeSeconds(),
            ["currentId"] = messages.LastOrDefault()?.Id,
            ["chat"] = new JsonObject
            {
                ["history"] = new JsonObject { ["messages"] = history, ["currentId"] = messages.LastOrDefault()?.Id },
                ["messages"] = list,
            },
        });
    }

    /// <summary>The chat if it exists and belongs to the caller; otherwise answers CHAT_NOT_FOUND and returns null.</summary>
    private async Task<EmulatorChat?> OwnedChatAsync(EmulatorRequest r, string chatId)
    {
        if (_chats.TryGetValue(chatId, out var chat) && chat.Owner == r.Account && !chat.Deleted) return chat;
        await r.WriteErrorAsync("CHAT_NOT_FOUND", $"Chat {chatId} is not exist", 404);
        return null;
    }

    private static JsonObject MessageJson(EmulatorMessage m, JsonNode[] children)
    {
        var json = new JsonObject
        {
            ["id"] = m.Id, ["role"] = m.Role, ["content"] = m.Content, ["parentId"] = m.ParentId,
            ["childrenIds"] = new JsonArray(children.Select(c => c.DeepClone()).ToArray()),
            ["model"] = m.Model, ["models"] = new JsonArray(m.Model), ["chat_type"] = m.ChatType, ["sub_chat_type"] = m.ChatType,
            ["timestamp"] = m.CreatedAt.ToUnixTimeSeconds(), ["done"] = m.Role == "user" || m.Done,
        };
        if (m.Role == "user")
        {
            json["files"] = new JsonArray(m.Files.Select(f => JsonNode.Parse(f.GetRawText())).ToArray());
            return json;
        }
        json["reasoning_content"] = string.Join("\n", m.Thoughts);
        json["content_list"] = ContentList(m);
        return json;
    }

    private static JsonArray ContentList(EmulatorMessage m)
    {
        JsonObject Entry(string content, string phase, JsonObject? extra) => new()
        {
            ["content"] = content, ["phase"] = phase, ["status"] = m.Done ? "finished" : "typing", ["extra"] = extra,
            ["role"] = "assistant", ["response_id"] = m.Id, ["usage"] = null, ["timestamp"] = m.CreatedAt.ToUnixTimeSeconds(),
        };
        var entries = new JsonArray();
        if (m.VideoTaskId is not null)
            entries.Add(Entry(m.Content, "video_gen", new JsonObject { ["wanx"] = new JsonObject { ["task_id"] = m.VideoTaskId } }));
        else if (m.ChatType is "t2i" or "image_edit")
            foreach (var url in m.ImageUrls)
                entries.Add(Entry(url, "image_gen", new JsonObject { ["output_image_hw"] = new JsonArray(new JsonArray(1024, 1024)) }));
        else
            entries.Add(Entry(m.Content, "answer", null));
        return entries;
    }
}
