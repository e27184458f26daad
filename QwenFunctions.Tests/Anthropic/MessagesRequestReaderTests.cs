using System.Text.Json;
using Microsoft.Extensions.Options;
using QwenFunctions.Anthropic;
using QwenFunctions.Http;

namespace QwenFunctions.Tests.Anthropic;

public sealed class MessagesRequestReaderTests
{
    private readonly ThinkingSignature _signatures = new(Options.Create(new AnthropicOptions()));

    [Fact]
    public void Read_FullAgentRequest_KeepsEveryBlockTheUpstreamCanUse()
    {
        var signed = _signatures.Sign("I should call the tool.");
        var call = Read($$$"""
        {"model":"qwen3-max","max_tokens":1024,"stream":true,"anthropic_beta_ignored":1,
         "system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}},{"type":"text","text":"Use tools."}],
         "thinking":{"type":"enabled","budget_tokens":2048},
         "stop_sequences":["END",""],
         "tools":[{"name":"get_weather","description":"Weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},
                  {"type":"web_search_20250305","name":"web_search","max_uses":3}],
         "tool_choice":{"type":"tool","name":"get_weather","disable_parallel_tool_use":true},
         "messages":[
          {"role":"user","content":[{"type":"text","text":""},{"type":"text","text":"Weather in Paris?"},
            {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
            {"type":"image","source":{"type":"url","url":"https://example.com/a.jpg"}},
            {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="},"title":"Report"},
            {"type":"document","source":{"type":"text","media_type":"text/plain","data":"plain notes"}}]},
          {"role":"assistant","content":[{"type":"thinking","thinking":"I should call the tool.","signature":"{{{signed}}}"},
            {"type":"redacted_thinking","data":"opaque"},
            {"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city":"Paris"}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","is_error":true,
            "content":[{"type":"text","text":"timeout"},{"type":"image","source":{"type":"url","url":"https://example.com/b.png"}}]},
            {"type":"tool_result","tool_use_id":"toolu_02","content":"sunny"}]}]}
        """);

        Assert.Equal("qwen3-max", call.Model);
        Assert.Equal(1024, call.MaxTokens);
        Assert.True(call.Stream);
        Assert.Equal("Be brief.\n\nUse tools.", call.System);
        Assert.True(call.Thinking);
        Assert.Equal(["END"], call.StopSequences);
        Assert.Equal("get_weather", Assert.Single(call.Tools).Name);
        Assert.Equal(new AnthropicToolChoice(ToolChoiceType.Tool, "get_weather", DisableParallelToolUse: true), call.ToolChoice);

        var user = call.Messages[0].Blocks;
        Assert.Equal(new TextInput("Weather in Paris?"), user[0]);
        Assert.Equal(new ImageInput("data:image/png;base64,iVBORw0KGgo="), user[1]);
        Assert.Equal(new ImageInput("https://example.com/a.jpg"), user[2]);
        Assert.Equal(new DocumentInput("data:application/pdf;base64,JVBERi0=", null, "Report"), user[3]);
        Assert.Equal(new DocumentInput(null, "plain notes", null), user[4]);

        var assistant = call.Messages[1].Blocks;
        Assert.Equal(new ThinkingInput("I should call the tool.", Verified: true), assistant[0]);
        Assert.Equal(new ThinkingInput("", Verified: false), assistant[1]);
        Assert.Equal(new ToolUseInput("toolu_01", "get_weather", """{"city":"Paris"}"""), assistant[2]);

        var results = call.Messages[2].Blocks.Cast<ToolResultInput>().ToList();
        Assert.Equal(("toolu_01", "timeout", true), (results[0].ToolUseId, results[0].Text, results[0].IsError));
        Assert.Equal(["https://example.com/b.png"], results[0].ImageUrls);
        Assert.Equal(("toolu_02", "sunny", false), (results[1].ToolUseId, results[1].Text, results[1].IsError));
    }

    [Fact]
    public void Read_ThinkingWithForeignOrTamperedSignature_IsAcceptedUnverified()
    {
        var signature = _signatures.Sign("original");
        var call = Read($$$"""
        {"model":"m","max_tokens":10,"messages":[{"role":"assistant","content":[
          {"type":"thinking","thinking":"changed","signature":"{{{signature}}}"},{"type":"thinking","thinking":"x","signature":"EqQBCkYIBxgCKkB"}]},
          {"role":"user","content":"go on"}]}
        """);

        Assert.All(call.Messages[0].Blocks, b => Assert.False(((ThinkingInput)b).Verified));
    }

    [Theory]
    [InlineData("""{"type":"auto"}""", ToolChoiceType.Auto)]
    [InlineData("""{"type":"any"}""", ToolChoiceType.Any)]
    [InlineData("""{"type":"none"}""", ToolChoiceType.None)]
    public void Read_ToolChoice_MapsEachMode(string choice, ToolChoiceType type)
    {
        var call = Read($$$"""{"model":"m","max_tokens":10,"tools":[{"name":"t","input_schema":{"type":"object"}}],"tool_choice":{{{choice}}},"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(type, call.ToolChoice.Type);
    }

    [Theory]
    [InlineData("""{"type":"disabled"}""", false)]
    [InlineData("""{"type":"adaptive"}""", true)]
    [InlineData("null", null)]
    public void Read_Thinking_MapsToTheSwitch(string thinking, bool? expected)
    {
        var call = Read($$"""{"model":"m","max_tokens":10,"thinking":{{thinking}},"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(expected, call.Thinking);
    }

    [Theory]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""", "max_tokens")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":[]}""", "messages")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":[{"role":"system","content":"hi"}]}""", "messages.0.role")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"file"}}]}]}""", "messages.0.content.0")]
    [InlineData("""{"model":"m","max_tokens":10,"tool_choice":{"type":"tool","name":"nope"},"tools":[{"name":"t","input_schema":{}}],"messages":[{"role":"user","content":"hi"}]}""", "tool_choice")]
    [InlineData("""{"model":"m","max_tokens":10,"tool_choice":{"type":"any"},"messages":[{"role":"user","content":"hi"}]}""", "tool_choice")]
    [InlineData("""{"model":"m","max_tokens":10,"tools":[{"name":"t"}],"messages":[{"role":"user","content":"hi"}]}""", "tools.0")]
    public void Read_InvalidRequest_Is400NamingTheField(string json, string param)
    {
        var error = Assert.Throws<ApiException>(() => Read(json));

        Assert.Equal(400, (int)error.Status);
        Assert.Equal(param, error.Param);
        Assert.StartsWith(param, error.Message);
    }

    [Fact]
    public void Read_CountTokens_NeedsNoMaxTokensAndNeverStreams()
    {
        var request = JsonSerializer.Deserialize<MessagesRequest>("""{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}""", ApiJson.Options)!;

        var call = new MessagesRequestReader(_signatures).Read(request, countOnly: true);

        Assert.Null(call.MaxTokens);
        Assert.False(call.Stream);
    }

    private MessagesCall Read(string json) =>
        new MessagesRequestReader(_signatures).Read(JsonSerializer.Deserialize<MessagesRequest>(json, ApiJson.Options)!);
}
