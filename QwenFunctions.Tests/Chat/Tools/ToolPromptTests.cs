using System.Text.Json.Nodes;
using QwenFunctions.Chat.Tools;

namespace QwenFunctions.Tests.Chat.Tools;

public sealed class ToolPromptTests
{
    private static readonly ToolDefinition GetWeather = ToolDefinition.Function("get_weather", "Weather of a city",
        JsonNode.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""")!.AsObject());

    private static readonly ToolDefinition GetTime = ToolDefinition.Function("get_time");

    [Fact]
    public void Instructions_FunctionTools_AreQwenTemplateBlockWithOneSignatureLineEach()
    {
        var text = ToolPrompt.Instructions(new ToolSet([GetWeather, GetTime], ToolChoice.Auto));

        Assert.Equal("""
            # Tools

            You may call one or more functions to assist with the user query.

            You are provided with function signatures within <tools></tools> XML tags:
            <tools>
            {"type":"function","function":{"name":"get_weather","description":"Weather of a city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}
            {"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{}}}}
            </tools>

            For each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:
            <tool_call>
            {"name": <function-name>, "arguments": <args-json-object>}
            </tool_call>
            """.ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void Instructions_ChoiceNoneOrNoTools_SendNothing()
    {
        Assert.Null(ToolPrompt.Instructions(new ToolSet([GetWeather], ToolChoice.None)));
        Assert.Null(ToolPrompt.Instructions(ToolSet.Empty));
    }

    [Fact]
    public void Instructions_Required_TellsTheModelToCall()
    {
        var text = ToolPrompt.Instructions(new ToolSet([GetWeather, GetTime], ToolChoice.Required))!;

        Assert.EndsWith("You must call at least one of these functions in this reply.", text);
        Assert.Contains("get_time", text);
    }

    [Fact]
    public void Instructions_NamedFunction_OffersOnlyThatToolAndNamesIt()
    {
        var text = ToolPrompt.Instructions(new ToolSet([GetWeather, GetTime], ToolChoice.Named("get_time")))!;

        Assert.DoesNotContain("get_weather", text);
        Assert.EndsWith("You must call the function \"get_time\" in this reply.", text);
    }

    [Fact]
    public void Instructions_ParallelCallsOff_AsksForOneCallAtMost()
    {
        var text = ToolPrompt.Instructions(new ToolSet([GetWeather], ToolChoice.Auto, ParallelCalls: false))!;

        Assert.EndsWith("Call at most one function in this reply.", text);
    }

    [Fact]
    public void Instructions_CustomTool_IsAFunctionWithOneStringInputAndItsFormat()
    {
        var text = ToolPrompt.Instructions(new ToolSet([ToolDefinition.Custom("apply_patch", "Edit files", "lark grammar: start: patch")], ToolChoice.Auto))!;

        var line = text.Split('\n').Single(l => l.Contains("apply_patch", StringComparison.Ordinal));
        var function = JsonNode.Parse(line)!["function"]!;
        Assert.Equal("string", function["parameters"]!["properties"]!["input"]!["type"]!.GetValue<string>());
        Assert.Equal(["input"], function["parameters"]!["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        var description = function["description"]!.GetValue<string>();
        Assert.StartsWith("Edit files", description);
        Assert.Contains("FREEFORM", description);
        Assert.EndsWith("lark grammar: start: patch", description);
    }

    [Fact]
    public void CallBlock_FunctionCall_IsTheBlockTheModelWouldWrite()
    {
        Assert.Equal("<tool_call>\n{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Zürich\"}}\n</tool_call>",
            ToolPrompt.CallBlock(new ToolCall("call_1", "get_weather", """{"city": "Zürich"}""")));
    }

    [Fact]
    public void CallBlock_ArgumentsThatAreNotJson_AreKeptAsAString()
    {
        Assert.Equal("<tool_call>\n{\"name\":\"get_weather\",\"arguments\":\"city=Paris\"}\n</tool_call>",
            ToolPrompt.CallBlock(new ToolCall("call_1", "get_weather", "city=Paris")));
    }

    [Fact]
    public void CallBlock_CustomCall_WrapsTheRawInputTheWayTheToolWasShown()
    {
        Assert.Equal("<tool_call>\n{\"name\":\"apply_patch\",\"arguments\":{\"input\":\"line\\nnext\"}}\n</tool_call>",
            ToolPrompt.CallBlock(new ToolCall("call_1", "apply_patch", "line\nnext", ToolKind.Custom)));
    }

    [Fact]
    public void CallBlocks_WhatTheParserReadsBack_IsTheSameCalls()
    {
        ToolCall[] calls = [new("call_a", "get_weather", """{"city":"Paris"}"""), new("call_b", "get_time", "{}")];
        var set = new ToolSet([GetWeather, GetTime], ToolChoice.Auto);

        var (text, parsed) = ToolCallStreamParser.ParseWhole(ToolPrompt.CallBlocks(calls), set);

        Assert.Equal("", text);
        Assert.Equal(calls.Select(c => (c.Name, c.Arguments)), parsed.Select(c => (c.Name, c.Arguments)));
    }

    [Fact]
    public void ResponseBlocks_ResultsInOrderWithTheirFunctionNames()
    {
        var text = ToolPrompt.ResponseBlocks([new ToolResult("call_a", "get_weather", """{"temp": 21}"""), new ToolResult("call_b", "get_time", "12:00")]);

        Assert.Equal(
            "<tool_response>\n{\"name\":\"get_weather\",\"content\":{\"temp\":21}}\n</tool_response>\n<tool_response>\n{\"name\":\"get_time\",\"content\":\"12:00\"}\n</tool_response>",
            text);
    }

    [Fact]
    public void ResponseBlocks_ContentThatLooksLikeJsonButIsNot_StaysText()
    {
        Assert.Contains("\"content\":\"{oops\"", ToolPrompt.ResponseBlocks([new ToolResult(null, "f", "{oops")]));
    }

    [Fact]
    public void Named_ResultsWithOnlyACallId_GetTheNameOfThatCall()
    {
        var named = ToolPrompt.Named([new ToolResult("call_b", null, "x"), new ToolResult("call_unknown", null, "y"), new ToolResult("call_a", "given", "z")],
            [new ToolCall("call_a", "get_weather", "{}"), new ToolCall("call_b", "get_time", "{}")]);

        Assert.Equal(["get_time", null, "given"], named.Select(r => r.Name));
    }

    [Fact]
    public void Problem_NamedToolNotOffered_OrDuplicateNames_AreReported()
    {
        Assert.Contains("nope", new ToolSet([GetWeather], ToolChoice.Named("nope")).Problem());
        Assert.Contains("twice", new ToolSet([GetWeather, GetWeather], ToolChoice.Auto).Problem());
        Assert.NotNull(new ToolSet([], ToolChoice.Required).Problem());
        Assert.Null(new ToolSet([GetWeather], ToolChoice.Named("get_weather")).Problem());
    }

    [Fact]
    public void NewId_IsCallPrefixAnd24AlphanumericsUniquePerCall()
    {
        var ids = Enumerable.Range(0, 50).Select(_ => ToolCall.NewId()).ToList();

        Assert.All(ids, id => Assert.Matches("^call_[A-Za-z0-9]{24}$", id));
        Assert.Equal(50, ids.Distinct().Count());
    }
}
