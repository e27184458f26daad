using System.Text.Json.Nodes;

namespace QwenFunctions.Images;

/// <summary>The seed's POST /api/chat answer for chatType "t2i" (docs/upstream.md B.3): the URLs as content, one per line.</summary>
public static class SeedImageChatAnswer
{
    public static JsonObject From(ImageGenerationResult result, DateTimeOffset now)
    {
        var id = result.ParentId ?? Guid.NewGuid().ToString();
        return new JsonObject
        {
            ["id"] = id,
            ["object"] = "chat.completion",
            ["created"] = now.ToUnixTimeSeconds(),
            ["model"] = result.Model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = string.Join("\n", result.Images.Select(i => i.Url)) },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 0, ["completion_tokens"] = 0, ["total_tokens"] = 0 },
            ["response_id"] = id,
            ["chatId"] = result.ChatId,
            ["parentId"] = result.ParentId,
        };
    }
}
