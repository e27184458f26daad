using QwenFunctions.Chat.Tools;
using QwenFunctions.Http;

namespace QwenFunctions.Chat;

/// <summary>
/// What the pipeline tells a surface's <see cref="IChatFormat"/> about an answer, in order: <see cref="ChatStarted"/>
/// first, then deltas (text, reasoning, images, tool calls) and <see cref="ChatUsage"/>, then exactly one
/// <see cref="ChatFinished"/> or <see cref="ChatFailed"/>.
/// </summary>
public abstract record ChatEvent;

/// <summary>The answer exists upstream (role/start): ids and the model name to echo.</summary>
public sealed record ChatStarted(ChatAnswerInfo Answer) : ChatEvent;

public sealed record ChatTextDelta(string Text) : ChatEvent;

public sealed record ChatReasoningDelta(string Text) : ChatEvent;

/// <summary>A t2t model drew an image; surfaces show its URL as text.</summary>
public sealed record ChatImageGenerated(string Url) : ChatEvent;

/// <summary>A tool call begins: <paramref name="Index"/> counts calls of this answer from 0 (parallel calls).</summary>
public sealed record ChatToolCallStarted(int Index, string Id, string Name, ToolKind Kind = ToolKind.Function) : ChatEvent;

/// <summary>A piece of the call's arguments (JSON text, or a custom tool's raw input).</summary>
public sealed record ChatToolCallArgumentsDelta(int Index, string Text) : ChatEvent;

/// <summary>The call's arguments are complete.</summary>
public sealed record ChatToolCallCompleted(int Index) : ChatEvent;

/// <summary>Upstream silence: surfaces with a heartbeat event (Anthropic's ping) may render it; others send a comment.</summary>
public sealed record ChatKeepAlive : ChatEvent
{
    public static readonly ChatKeepAlive Instance = new();
}

public sealed record ChatUsage(int InputTokens, int OutputTokens, int TotalTokens, int ReasoningTokens, int CachedTokens) : ChatEvent
{
    public static readonly ChatUsage Zero = new(0, 0, 0, 0, 0);
}

public enum ChatFinishReason
{
    Stop,
    Length,
    ToolCalls,
    ContentFilter,
}

/// <summary>The answer ended normally.</summary>
public sealed record ChatFinished(ChatFinishReason Reason) : ChatEvent;

/// <summary>The answer broke off after the stream started: the surface's in-band error, never a clean end.</summary>
public sealed record ChatFailed(ApiException Error) : ChatEvent;

/// <summary>Who answered: the upstream ids (the next turn's chatId/parentId) and the model name the client sees.</summary>
public sealed record ChatAnswerInfo(string ResponseId, string ChatId, string ModelName, DateTimeOffset Created)
{
    public long CreatedUnixSeconds => Created.ToUnixTimeSeconds();
}
