namespace QwenFunctions.Responses;

/// <summary>One input item as the conversation needs it (reasoning and item references are dropped on reading).</summary>
public abstract record ResponseInputItem;

/// <summary>A message: role is user, assistant or system (developer is read as system).</summary>
public sealed record ResponseInputMessage(string Role, string Text, IReadOnlyList<string> ImageUrls, IReadOnlyList<string> FileRefs) : ResponseInputItem;

/// <summary>A call the assistant made earlier: a function call (JSON arguments) or a custom tool call (raw input).</summary>
public sealed record ResponseInputToolCall(string CallId, string Name, string Arguments, bool Custom) : ResponseInputItem;

/// <summary>What the client's tool answered to <see cref="CallId"/>.</summary>
public sealed record ResponseInputToolOutput(string CallId, string Output) : ResponseInputItem;

/// <summary>A tool the model may call. Custom (freeform) tools take one raw string, described by <see cref="Format"/>.</summary>
public sealed record ResponseTool(string Name, string? Description, System.Text.Json.JsonElement? Parameters, bool Custom, string? Format);

public enum ResponseToolMode
{
    Auto,
    None,
    Required,
    Named,
}

public sealed record ResponseToolChoice(ResponseToolMode Mode, string? Name = null)
{
    public static readonly ResponseToolChoice Auto = new(ResponseToolMode.Auto);
}
