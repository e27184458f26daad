namespace QwenFunctions.Upstream;

/// <summary>A typed upstream SSE event; only what the proxy needs survives parsing.</summary>
public abstract record QwenStreamEvent;

/// <summary>First event: <see cref="ResponseId"/> is the next turn's parent_id.</summary>
public sealed record QwenResponseCreated(string ResponseId, string? ChatId, string? ParentId) : QwenStreamEvent;

/// <summary>`response.info` keep-alive during long jobs (t2i).</summary>
public sealed record QwenKeepAlive : QwenStreamEvent;

/// <summary>New answer text (phase answer).</summary>
public sealed record QwenAnswerDelta(string Text) : QwenStreamEvent;

/// <summary>New reasoning text: `think` content, or the new part of cumulative thinking summaries.</summary>
public sealed record QwenReasoningDelta(string Text) : QwenStreamEvent;

/// <summary>One generated image (phase image_gen).</summary>
public sealed record QwenImageGenerated(string Url, int? Width, int? Height) : QwenStreamEvent;

/// <summary>The latest cumulative usage; the last one before the end is final.</summary>
public sealed record QwenUsage(int InputTokens, int OutputTokens, int TotalTokens, int ReasoningTokens, int CachedTokens) : QwenStreamEvent;

/// <summary>The answer phase (or image_gen) finished: the stream is complete.</summary>
public sealed record QwenAnswerFinished(string Phase) : QwenStreamEvent;
