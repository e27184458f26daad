using System.Text.Json.Nodes;

namespace QwenFunctions.Tests.Emulator;

/// <summary>A model as listed by the emulator's models endpoints (§6.1 shape).</summary>
/// <param name="Id">Model id, e.g. <c>qwen3.6-plus</c>.</param>
/// <param name="Name">Display name.</param>
/// <param name="ChatTypes">Supported chat types (<c>t2t</c>, <c>t2i</c>, <c>t2v</c>, …).</param>
/// <param name="Thinking">Whether the model can think.</param>
/// <param name="Vision">Whether the model accepts images.</param>
public sealed record EmulatorModel(string Id, string Name, IReadOnlyList<string> ChatTypes, bool Thinking = true, bool Vision = true)
{
    /// <summary>A small current-looking line-up.</summary>
    public static IList<EmulatorModel> Defaults() =>
    [
        new("qwen3.6-plus", "Qwen3.6-Plus", ["t2t", "search", "t2i", "t2v", "image_edit", "artifacts", "web_dev", "deep_research"]),
        new("qwen3.6-max", "Qwen3.6-Max", ["t2t", "search", "artifacts"]),
        new("qwen3.5-flash", "Qwen3.5-Flash", ["t2t", "search"], Thinking: false, Vision: false),
    ];

    internal JsonObject ToJson(long createdAt)
    {
        var meta = new JsonObject
        {
            ["description"] = $"{Name} (emulated)",
            ["short_description"] = Name,
            ["capabilities"] = new JsonObject
            {
                ["vision"] = Vision, ["document"] = true, ["video"] = Vision, ["audio"] = true,
                ["thinking"] = Thinking, ["search"] = ChatTypes.Contains("search"),
            },
            ["abilities"] = new JsonObject { ["thinking"] = Thinking ? 3 : 0, ["mcp"] = 1 },
            ["max_context_length"] = 1_000_000,
            ["max_summary_generation_length"] = 65536,
            ["max_thinking_generation_length"] = 81920,
            ["chat_type"] = new JsonArray(ChatTypes.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray()),
            ["mcp"] = new JsonArray("image-generation", "code-interpreter"),
            ["modality"] = Vision ? new JsonArray("text", "image", "video") : new JsonArray("text"),
            ["auto_thinking"] = Thinking,
            ["thinking_format"] = "summary",
        };
        return new JsonObject
        {
            ["id"] = Id, ["name"] = Name, ["object"] = "model", ["owned_by"] = "qwen",
            ["preset"] = false, ["action_ids"] = new JsonArray(),
            ["info"] = new JsonObject
            {
                ["id"] = Id, ["name"] = Name, ["is_active"] = true, ["is_visitor_active"] = true,
                ["created_at"] = createdAt, ["meta"] = meta,
            },
        };
    }
}
