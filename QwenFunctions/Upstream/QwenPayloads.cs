using System.Text.Json.Nodes;

namespace QwenFunctions.Upstream;

/// <summary>Request bodies of the v2 web protocol (qwen-upstream.md §6.2, §6.3).</summary>
internal static class QwenPayloads
{
    public static JsonObject NewChat(string model, string chatType, DateTimeOffset now) => new()
    {
        ["title"] = "New Chat",
        ["models"] = new JsonArray(model),
        ["chat_mode"] = "normal",
        ["chat_type"] = chatType,
        ["timestamp"] = now.ToUnixTimeMilliseconds(),
        ["project_id"] = "",
    };

    public static JsonObject Completion(QwenCompletionRequest request, DateTimeOffset now)
    {
        var timestamp = now.ToUnixTimeSeconds();
        var meta = new JsonObject { ["subChatType"] = request.ChatType };
        if (request.Size is not null && request.ChatType == "t2v")
        {
            meta["size"] = request.Size;
        }

        var message = new JsonObject
        {
            ["id"] = null,
            ["fid"] = Guid.NewGuid().ToString(),
            ["parentId"] = request.ParentId,
            ["parent_id"] = request.ParentId,
            ["childrenIds"] = new JsonArray(Guid.NewGuid().ToString()),
            ["role"] = "user",
            ["content"] = request.ContentParts is { } parts ? parts.DeepClone() : request.Content,
            ["user_action"] = "chat",
            ["files"] = new JsonArray(request.Files.Select(f => (JsonNode)f.DeepClone()).ToArray()),
            ["timestamp"] = timestamp,
            ["models"] = new JsonArray(request.Model),
            ["chat_type"] = request.ChatType,
            ["sub_chat_type"] = request.ChatType,
            ["extra"] = new JsonObject { ["meta"] = meta },
            ["feature_config"] = FeatureConfig(request),
        };

        var body = new JsonObject
        {
            ["stream"] = request.Stream,
            ["version"] = "2.1",
            ["incremental_output"] = true,
            ["chat_id"] = request.ChatId,
            ["chat_mode"] = "normal",
            ["model"] = request.Model,
            ["parent_id"] = request.ParentId,
            ["messages"] = new JsonArray(message),
            ["timestamp"] = timestamp,
        };
        if (request.Size is not null)
        {
            body["size"] = request.Size;
        }

        return body;
    }

    private static JsonObject FeatureConfig(QwenCompletionRequest request) => request.Thinking
        ? new JsonObject
        {
            ["thinking_enabled"] = true,
            ["output_schema"] = "phase",
            ["research_mode"] = "normal",
            ["auto_thinking"] = false,
            ["thinking_mode"] = "Thinking",
            ["thinking_format"] = "summary",
            ["auto_search"] = false,
        }
        : new JsonObject
        {
            // output_schema "phase" is required: without it deltas carry no phase (Qwen2API fix 1198003).
            ["thinking_enabled"] = false,
            ["output_schema"] = "phase",
            ["research_mode"] = "normal",
            ["auto_thinking"] = false,
            ["thinking_mode"] = "Fast",
            ["auto_search"] = false,
        };
}
