using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using QwenFunctions.Http;

namespace QwenFunctions.Upstream;

/// <summary>
/// Request bodies of the v2 web protocol (docs/upstream.md §6.2, §6.3), written straight to UTF-8 (the completion
/// body is built twice per turn for the size check and once to send), in the bytes JsonNode would produce.
/// </summary>
internal static class QwenPayloads
{
    /// <summary>The chats/new body as sent: compact JSON, UTF-8, <c>application/json; charset=utf-8</c>.</summary>
    public static HttpContent NewChatContent(string model, string chatType, DateTimeOffset now) =>
        Content(JsonScratch.Default.ToUtf8((model, chatType, now), static (w, state) =>
        {
            w.WriteStartObject();
            w.WriteString("title", "New Chat");
            w.WriteStartArray("models");
            w.WriteStringValue(state.model);
            w.WriteEndArray();
            w.WriteString("chat_mode", "normal");
            w.WriteString("chat_type", state.chatType);
            w.WriteNumber("timestamp", state.now.ToUnixTimeMilliseconds());
            w.WriteString("project_id", "");
            w.WriteEndObject();
        }));

    /// <summary>The completion body as sent: compact JSON, UTF-8, <c>application/json; charset=utf-8</c>.</summary>
    public static HttpContent CompletionContent(QwenCompletionRequest request, DateTimeOffset now) =>
        Content(JsonScratch.Default.ToUtf8((request, now), WriteCompletion));

    private static ByteArrayContent Content(byte[] json)
    {
        var content = new ByteArrayContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    /// <summary>The size in bytes of the completion body <paramref name="request"/> becomes.</summary>
    public static int CompletionByteCount(QwenCompletionRequest request, DateTimeOffset now) =>
        JsonScratch.Default.ByteCount((request, now), WriteCompletion);

    private static void WriteCompletion(Utf8JsonWriter w, (QwenCompletionRequest Request, DateTimeOffset Now) state)
    {
        var (request, now) = state;
        var timestamp = now.ToUnixTimeSeconds();
        w.WriteStartObject();
        w.WriteBoolean("stream", request.Stream);
        w.WriteString("version", "2.1");
        w.WriteBoolean("incremental_output", true);
        w.WriteString("chat_id", request.ChatId);
        w.WriteString("chat_mode", "normal");
        w.WriteString("model", request.Model);
        w.WriteString("parent_id", request.ParentId);
        w.WriteStartArray("messages");
        WriteMessage(w, request, timestamp);
        w.WriteEndArray();
        w.WriteNumber("timestamp", timestamp);
        if (request.Size is not null)
        {
            w.WriteString("size", request.Size);
        }

        w.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter w, QwenCompletionRequest request, long timestamp)
    {
        w.WriteStartObject();
        w.WriteNull("id");
        w.WriteString("fid", Guid.NewGuid());
        w.WriteString("parentId", request.ParentId);
        w.WriteString("parent_id", request.ParentId);
        w.WriteStartArray("childrenIds");
        w.WriteStringValue(Guid.NewGuid());
        w.WriteEndArray();
        w.WriteString("role", "user");
        w.WritePropertyName("content");
        if (request.ContentParts is { } parts)
        {
            parts.WriteTo(w);
        }
        else
        {
            w.WriteStringValue(request.Content);
        }

        w.WriteString("user_action", "chat");
        w.WriteStartArray("files");
        foreach (var file in request.Files)
        {
            file.WriteTo(w);
        }

        w.WriteEndArray();
        w.WriteNumber("timestamp", timestamp);
        w.WriteStartArray("models");
        w.WriteStringValue(request.Model);
        w.WriteEndArray();
        w.WriteString("chat_type", request.ChatType);
        w.WriteString("sub_chat_type", request.ChatType);
        w.WriteStartObject("extra");
        w.WriteStartObject("meta");
        w.WriteString("subChatType", request.ChatType);
        if (request.Size is not null && request.ChatType == "t2v")
        {
            w.WriteString("size", request.Size);
        }

        w.WriteEndObject();
        w.WriteEndObject();
        w.WritePropertyName("feature_config");
        WriteFeatureConfig(w, request.Thinking);
        w.WriteEndObject();
    }

    private static void WriteFeatureConfig(Utf8JsonWriter w, bool thinking)
    {
        w.WriteStartObject();
        // output_schema "phase" is required: without it deltas carry no phase (Qwen2API fix 1198003).
        w.WriteBoolean("thinking_enabled", thinking);
        w.WriteString("output_schema", "phase");
        w.WriteString("research_mode", "normal");
        w.WriteBoolean("auto_thinking", false);
        w.WriteString("thinking_mode", thinking ? "Thinking" : "Fast");
        if (thinking)
        {
            w.WriteString("thinking_format", "summary");
        }

        w.WriteBoolean("auto_search", false);
        w.WriteEndObject();
    }
}
