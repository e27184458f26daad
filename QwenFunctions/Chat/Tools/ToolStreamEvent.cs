namespace QwenFunctions.Chat.Tools;

/// <summary>What the tool-call parser makes of the answer text, in order.</summary>
public abstract record ToolStreamEvent;

/// <summary>Answer text that is not part of a call (sent as content at once).</summary>
public sealed record ToolTextDelta(string Text) : ToolStreamEvent;

/// <summary>A call begins: index 0, 1, … in order of appearance.</summary>
public sealed record ToolCallStarted(int Index, string Id, string Name, ToolKind Kind) : ToolStreamEvent;

/// <summary>A piece of the call's arguments (JSON text; for a custom tool, of its raw input). The pieces concatenate to the whole.</summary>
public sealed record ToolCallArgumentsDelta(int Index, string Fragment) : ToolStreamEvent;

/// <summary>The call is complete.</summary>
public sealed record ToolCallCompleted(int Index, ToolCall Call) : ToolStreamEvent;
