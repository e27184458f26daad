using System.Text.Json.Nodes;

namespace QwenFunctions.Tests.Emulator;

// POST /api/v2/chat/completions?chat_id=… : validation in upstream order, then the stream (text, image) or the t2v JSON.
public sealed partial class QwenEmulator
{
    private async Task CompleteAsync(EmulatorRequest r)
    {
        if (!await r.RequireAccountAsync()) return;
        var body = r.Json as JsonObject;
        var message = body?["messages"] is JsonArray { Count: 1 } one ? one[0] as JsonObject : null;
        var chatType = EmulatorJson.GetString(message, "chat_type") ?? "t2t";
        if (await r.ApplyFaultAsync(EndpointOf(chatType)) || !await r.RequireVersionHeaderAsync()) return;
        if (body is null)
        {
            await r.WriteErrorAsync("Bad_Request", "The request body is not valid JSON.", 400);
            return;
        }

        var chatId = EmulatorJson.GetString(body, "chat_id");
        var queryChatId = r.Http.Request.Query["chat_id"].FirstOrDefault();
        if (chatId is null || queryChatId is null)
        {
            var where = chatId is null ? "Field 'chat_id'" : "Query 'chat_id'";
            await r.WriteErrorAsync("RequestValidationError", $"{where}: Field required", 400);
            return;
        }
        if (chatId != queryChatId)
        {
            await r.WriteErrorAsync("Bad_Request", "chat_id in the query and in the body differ.", 400);
            return;
        }
        var chat = await OwnedChatAsync(r, chatId);
        if (chat is null) return;
        if (message is null || EmulatorJson.GetString(message, "role") != "user")
        {
            await r.WriteErrorAsync("Bad_Request", "Exactly one user message is required.", 400);
            return;
        }

        var isVideo = chatType is "t2v" or "i2v";
        var stream = EmulatorJson.GetBool(body, "stream") ?? true;
        if (stream == isVideo)
        {
            var details = isVideo ? "Video generation requires stream=false." : "Streaming is required for this chat type.";
            await r.WriteErrorAsync("Bad_Request", details, 400);
            return;
        }
        var parentId = EmulatorJson.GetString(body, "parent_id")
            ?? EmulatorJson.GetString(message, "parent_id") ?? EmulatorJson.GetString(message, "parentId");
        if (parentId is not null && !chat.HasResponse(parentId))
        {
            // The 2026 body (docs/upstream.md §10.5).
            await r.WriteErrorAsync("Bad_Request", $"Invalid input chat parent_id {parentId} is not exist.", 400);
            return;
        }
        var size = EmulatorJson.GetString(body, "size") ?? EmulatorJson.GetString(message["extra"]?["meta"], "size");
        if (isVideo && size is not null && size is not ("1:1" or "3:4" or "4:3" or "16:9" or "9:16"))
        {
            await r.WriteErrorAsync("Bad_Request", $"Invalid size {size}; expected one of 1:1, 3:4, 4:3, 16:9, 9:16.", 400);
            return;
        }

        using var active = CancellationTokenSource.CreateLinkedTokenSource(r.Aborted);
        if (!chat.TryBegin(active))
        {
            await r.WriteErrorAsync("CHAT_IN_PROGRESS", "The chat is in progress!", 400);
            return;
        }
        try
        {
            var user = StoreUserMessage(r, chat, message, parentId, chatType, size);
            var turn = new Turn(r, chat, user, Guid.NewGuid().ToString(), active.Token);
            if (isVideo) await CreateVideoAsync(turn, size ?? "16:9");
            else if (chatType is "t2i" or "image_edit") await StreamImagesAsync(turn);
            else await StreamTextAsync(turn);
        }
        finally
        {
            chat.End();
        }
    }

    private static EmulatorEndpoint EndpointOf(string chatType) => chatType switch
    {
        "t2i" or "image_edit" => EmulatorEndpoint.ImageCompletion,
        "t2v" or "i2v" => EmulatorEndpoint.VideoCompletion,
        _ => EmulatorEndpoint.TextCompletion,
    };

    private static EmulatorMessage StoreUserMessage(EmulatorRequest r, EmulatorChat chat, JsonObject message, string? parentId, string chatType, string? size)
    {
        var model = EmulatorJson.GetString(r.Json, "model") ?? chat.Model ?? "";
        var user = new EmulatorMessage
        {
            Id = Guid.NewGuid().ToString(),
            Role = "user",
            ParentId = parentId,
            Content = PromptText(message["content"]),
            Model = model,
            ChatType = chatType,
            Fid = EmulatorJson.GetString(message, "fid"),
            Size = size,
            RawContent = message["content"] is { } content ? EmulatorJson.ToElement(content) : null,
            Files = message["files"] is JsonArray files ? files.Select(EmulatorJson.ToElement).ToArray() : [],
            FeatureConfig = message["feature_config"] is { } features ? EmulatorJson.ToElement(features) : null,
            CreatedAt = r.Now,
        };
        chat.Add(user);
        return user;
    }

    private static string PromptText(JsonNode? content) => content switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonArray parts => string.Join("\n", parts.Select(p => EmulatorJson.GetString(p, "text")).OfType<string>()),
        _ => "",
    };

    /// <summary>One completion in flight: the request, the chat, the stored user message and the new response id.</summary>
    private sealed record Turn(EmulatorRequest Request, EmulatorChat Chat, EmulatorMessage User, string ResponseId, CancellationToken Cancellation)
    {
        public bool Thinking => User.FeatureConfig is { } features
            && features.TryGetProperty("thinking_enabled", out var on) && on.ValueKind == System.Text.Json.JsonValueKind.True;
    }
}
