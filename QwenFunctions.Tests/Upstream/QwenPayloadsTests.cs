using System.Text.Json;
using System.Text.Json.Nodes;
using QwenFunctions.Upstream;

namespace QwenFunctions.Tests.Upstream;

/// <summary>The completion body the web app sends (docs/upstream.md §6.3), written without a node tree.</summary>
public sealed class QwenPayloadsTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);

    [Fact]
    public async Task CompletionContent_PlainTurn_IsTheWebAppBodyInUtf8Json()
    {
        var request = new QwenCompletionRequest("chat-1", "qwen3.6-plus", "Hi <there> é") { ParentId = "resp-0" };

        using var content = QwenPayloads.CompletionContent(request, Now);
        var bytes = await content.ReadAsByteArrayAsync();
        var body = JsonNode.Parse(bytes)!.AsObject();
        var message = body["messages"]![0]!.AsObject();

        Assert.Equal("application/json; charset=utf-8", content.Headers.ContentType!.ToString());
        Assert.Equal(["stream", "version", "incremental_output", "chat_id", "chat_mode", "model", "parent_id", "messages", "timestamp"], body.Select(p => p.Key));
        Assert.Equal(["id", "fid", "parentId", "parent_id", "childrenIds", "role", "content", "user_action", "files", "timestamp", "models", "chat_type", "sub_chat_type", "extra", "feature_config"], message.Select(p => p.Key));
        Assert.True((bool)body["stream"]!);
        Assert.Equal("2.1", (string?)body["version"]);
        Assert.Equal("resp-0", (string?)message["parent_id"]);
        Assert.Equal(JsonValueKind.Null, message["id"]?.GetValueKind() ?? JsonValueKind.Null);
        Assert.True(Guid.TryParseExact((string?)message["fid"], "D", out _));
        Assert.Equal("Hi <there> é", (string?)message["content"]);
        Assert.Equal(Now.ToUnixTimeSeconds(), (long)body["timestamp"]!);
        Assert.Equal("""{"meta":{"subChatType":"t2t"}}""", message["extra"]!.ToJsonString());
        Assert.Equal("""{"thinking_enabled":false,"output_schema":"phase","research_mode":"normal","auto_thinking":false,"thinking_mode":"Fast","auto_search":false}""",
            message["feature_config"]!.ToJsonString());
        // The same escaping as JsonNode.ToJsonString (the default, HTML-safe encoder), so the bytes measured are the bytes sent.
        Assert.Contains(@"""Hi \u003Cthere\u003E \u00E9""", System.Text.Encoding.UTF8.GetString(bytes));
        Assert.Equal(bytes.Length, QwenPayloads.CompletionByteCount(request, Now));
    }

    [Fact]
    public async Task CompletionContent_ThinkingVideoWithPartsAndFiles_CarriesThemAsGiven()
    {
        var parts = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "look" });
        var file = new JsonObject { ["type"] = "image", ["id"] = "f1" };
        var request = new QwenCompletionRequest("chat-2", "m", "ignored")
        {
            Thinking = true, ChatType = "t2v", Size = "16:9", ContentParts = parts, Files = [file], Stream = false,
        };

        using var content = QwenPayloads.CompletionContent(request, Now);
        var body = JsonNode.Parse(await content.ReadAsByteArrayAsync())!.AsObject();
        var message = body["messages"]![0]!.AsObject();

        Assert.False((bool)body["stream"]!);
        Assert.Null(body["parent_id"]);
        Assert.True(body.ContainsKey("parent_id"));
        Assert.Equal("16:9", (string?)body["size"]);
        Assert.Equal(parts.ToJsonString(), message["content"]!.ToJsonString());
        Assert.Equal($"[{file.ToJsonString()}]", message["files"]!.ToJsonString());
        Assert.Equal("""{"meta":{"subChatType":"t2v","size":"16:9"}}""", message["extra"]!.ToJsonString());
        Assert.Equal("""{"thinking_enabled":true,"output_schema":"phase","research_mode":"normal","auto_thinking":false,"thinking_mode":"Thinking","thinking_format":"summary","auto_search":false}""",
            message["feature_config"]!.ToJsonString());
    }
    [Fact]
    public async Task NewChatContent_IsTheWebAppBody()
    {
        using var content = QwenPayloads.NewChatContent("qwen3.6-plus", "t2t", Now);

        Assert.Equal("application/json; charset=utf-8", content.Headers.ContentType!.ToString());
        Assert.Equal($$"""{"title":"New Chat","models":["qwen3.6-plus"],"chat_mode":"normal","chat_type":"t2t","timestamp":{{Now.ToUnixTimeMilliseconds()}},"project_id":""}""",
            await content.ReadAsStringAsync());
    }
}
