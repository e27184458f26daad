using System.Text.Json;
using QwenFunctions.Chat;
using QwenFunctions.Chat.Tools;
using QwenFunctions.Http;
using QwenFunctions.Responses;

namespace QwenFunctions.Tests.Responses;

public sealed class ResponseInputReaderTests
{
    [Fact]
    public void StringInput_IsOneUserMessage_StoredAsInputText()
    {
        var parsed = Read("""{"model":"qwen3-max","input":"Hello"}""");

        var message = Assert.Single(parsed.Messages);
        Assert.Equal((ChatMessage.User, "Hello"), (message.Role, message.Text));
        var stored = Assert.Single(parsed.StoredItems);
        Assert.Equal("message", (string?)stored["type"]);
        Assert.StartsWith("msg_", (string?)stored["id"]);
        Assert.Equal("input_text", (string?)stored["content"]![0]!["type"]);
        Assert.True(parsed.Store);
        Assert.False(parsed.Stream);
    }

    [Fact]
    public void AgentHistory_ReadsCallsOutputsAndParts_DropsReasoningAndUnknownItems()
    {
        var parsed = Read("""
        {"input":[
          {"type":"message","role":"developer","content":"Be terse."},
          {"role":"user","content":[{"type":"input_text","text":"Fix it"},{"type":"input_image","image_url":"https://example.com/a.png"},
                                    {"type":"input_file","file_url":"https://example.com/a.pdf"}]},
          {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"thinking"}]},
          {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Looking","annotations":[]}]},
          {"type":"function_call","id":"fc_1","call_id":"call_a","name":"shell","arguments":"{\"cmd\":\"ls\"}"},
          {"type":"function_call_output","call_id":"call_a","output":"a.txt"},
          {"type":"custom_tool_call","call_id":"call_b","name":"apply_patch","input":"*** Begin Patch"},
          {"type":"custom_tool_call_output","call_id":"call_b","output":[{"type":"input_text","text":"Done"}]},
          {"type":"web_search_call","id":"ws_1","status":"completed"}
        ]}
        """);

        Assert.Collection(parsed.Messages,
            m => Assert.Equal((ChatMessage.System, "Be terse."), (m.Role, m.Text)),
            m =>
            {
                Assert.Equal("Fix it", m.Text);
                Assert.Equal(["https://example.com/a.png"], m.ImageUrls);
                Assert.Equal(["https://example.com/a.pdf"], m.FileRefs);
            },
            m =>
            {
                // The text and the call it made are one assistant turn.
                Assert.Equal((ChatMessage.Assistant, "Looking"), (m.Role, m.Text));
                Assert.Equal([new ToolCall("call_a", "shell", "{\"cmd\":\"ls\"}")], m.ToolCalls);
            },
            m => Assert.Equal((ChatMessage.Tool, "a.txt", "call_a", "shell"), (m.Role, m.Text, m.ToolCallId, m.ToolName)),
            m => Assert.Equal([new ToolCall("call_b", "apply_patch", "*** Begin Patch", ToolKind.Custom)], m.ToolCalls),
            m => Assert.Equal((ChatMessage.Tool, "Done", "call_b", "apply_patch"), (m.Role, m.Text, m.ToolCallId, m.ToolName)));
        Assert.Equal(7, parsed.StoredItems.Count);
        Assert.Equal("fc_1", (string?)parsed.StoredItems[3]["id"]);
        Assert.All(parsed.StoredItems, s => Assert.NotNull((string?)s["id"]));
    }

    [Fact]
    public void Tools_FunctionAndCustomKept_HostedToolsLeftOut()
    {
        var parsed = Read("""
        {"input":"x","tools":[
          {"type":"function","name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}},
          {"type":"custom","name":"apply_patch","description":"Patch","format":{"type":"grammar","syntax":"lark","definition":"start: /.+/"}},
          {"type":"web_search"},{"type":"mcp","server_label":"x"},{"type":"local_shell"}
        ]}
        """);

        var tools = parsed.Tools.Tools;
        Assert.Equal(["get_weather", "apply_patch"], tools.Select(t => t.Name));
        Assert.Equal(ToolKind.Function, tools[0].Kind);
        Assert.Equal("object", (string?)tools[0].Parameters!["type"]);
        Assert.Equal(ToolKind.Custom, tools[1].Kind);
        Assert.Contains("start: /.+/", tools[1].InputFormat);
    }

    [Theory]
    [InlineData("\"none\"", ToolChoiceMode.None, null)]
    [InlineData("\"required\"", ToolChoiceMode.Required, null)]
    [InlineData("\"auto\"", ToolChoiceMode.Auto, null)]
    [InlineData("""{"type":"function","name":"f"}""", ToolChoiceMode.Named, "f")]
    [InlineData("""{"type":"allowed_tools","mode":"required","tools":[{"type":"function","name":"f"}]}""", ToolChoiceMode.Required, null)]
    public void ToolChoice_IsRead(string choice, ToolChoiceMode mode, string? name)
    {
        var parsed = Read($$"""{"input":"x","tools":[{"type":"function","name":"f"},{"type":"function","name":"g"}],"tool_choice":{{choice}}}""");

        Assert.Equal(new ToolChoice(mode, name), parsed.Tools.Choice);
    }

    [Fact]
    public void AllowedTools_RestrictTheToolList()
    {
        var parsed = Read("""{"input":"x","tools":[{"type":"function","name":"f"},{"type":"function","name":"g"}],"tool_choice":{"type":"allowed_tools","mode":"auto","tools":[{"type":"function","name":"g"}]}}""");

        Assert.Equal(["g"], parsed.Tools.Tools.Select(t => t.Name));
    }

    [Fact]
    public void NamedToolChoice_ForAnUnknownTool_Is400()
    {
        var error = Assert.Throws<ApiException>(() => Read("""{"input":"x","tools":[{"type":"function","name":"g"}],"tool_choice":{"type":"function","name":"f"}}"""));

        Assert.Equal("tool_choice", error.Param);
    }

    [Theory]
    [InlineData("""{"effort":"none"}""", false)]
    [InlineData("""{"effort":"minimal"}""", true)]
    [InlineData("""{"effort":"high","summary":"auto"}""", true)]
    [InlineData("""{"summary":"detailed"}""", true)]
    [InlineData("{}", null)]
    public void ReasoningEffort_SwitchesThinking(string reasoning, bool? thinking)
    {
        Assert.Equal(thinking, Read($$"""{"input":"x","reasoning":{{reasoning}}}""").Thinking);
    }

    [Fact]
    public void JsonSchemaFormat_IsInstructedAfterTheInstructions()
    {
        var parsed = Read("""{"input":"x","instructions":"Be kind.","text":{"format":{"type":"json_schema","name":"person","schema":{"type":"object","required":["name"]}}}}""");

        Assert.StartsWith("Be kind.\n\n", parsed.Instructions);
        Assert.Contains("JSON", parsed.Instructions);
        Assert.Contains("\"required\":[\"name\"]", parsed.Instructions);
    }

    [Theory]
    [InlineData("""{"model":"m"}""", "input")]
    [InlineData("""{"input":[]}""", "input")]
    [InlineData("""{"input":42}""", "input")]
    [InlineData("""{"input":"x","temperature":3}""", "temperature")]
    [InlineData("""{"input":[{"type":"function_call_output","output":"x"}]}""", "input[0].call_id")]
    [InlineData("""{"input":[{"type":"message","role":"robot","content":"x"}]}""", "input[0].role")]
    public void BadRequests_Are400WithParam(string body, string param)
    {
        var error = Assert.Throws<ApiException>(() => Read(body));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.Status);
        Assert.Equal(param, error.Param);
    }

    private static ParsedResponsesRequest Read(string json) =>
        ResponseInputReader.Read(JsonSerializer.Deserialize<ResponsesRequest>(json, ApiJson.Options)!);
}
