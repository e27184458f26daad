using System.Text.Json;

namespace QwenFunctions.Tests.Emulator;

/// <summary>A chat held by the emulator: its owner and its message history.</summary>
public sealed class EmulatorChat
{
    private readonly object _gate = new();
    private readonly List<EmulatorMessage> _messages = [];
    private CancellationTokenSource? _active;

    internal EmulatorChat(string id, EmulatorAccount owner, string? model, string chatType, DateTimeOffset createdAt)
    {
        Id = id;
        Owner = owner;
        Model = model;
        ChatType = chatType;
        CreatedAt = createdAt;
    }

    /// <summary>Chat id (returned by <c>chats/new</c>).</summary>
    public string Id { get; }

    /// <summary>The account that created the chat; no other account may use it.</summary>
    public EmulatorAccount Owner { get; }

    /// <summary>Token of <see cref="Owner"/>.</summary>
    public string OwnerToken => Owner.Token;

    /// <summary>Model named at creation (may be null).</summary>
    public string? Model { get; }

    /// <summary>Chat type named at creation (default <c>t2t</c>).</summary>
    public string ChatType { get; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; }

    internal long Sequence { get; init; }

    /// <summary>Number of <c>chat/completions/stop</c> calls that named this chat.</summary>
    public int StopCount { get; private set; }

    /// <summary>True while a completion on this chat is running.</summary>
    public bool InProgress { get { lock (_gate) { return _active is not null; } } }

    /// <summary>True after <c>DELETE /api/v2/chats/{id}</c>.</summary>
    public bool Deleted { get; internal set; }

    /// <summary>Snapshot of the messages, user and assistant, in arrival order.</summary>
    public IReadOnlyList<EmulatorMessage> Messages { get { lock (_gate) { return _messages.ToArray(); } } }

    /// <summary>User messages only.</summary>
    public IReadOnlyList<EmulatorMessage> UserMessages => Messages.Where(m => m.Role == "user").ToArray();

    /// <summary>Assistant messages only (their ids are the <c>response_id</c>s).</summary>
    public IReadOnlyList<EmulatorMessage> AssistantMessages => Messages.Where(m => m.Role == "assistant").ToArray();

    internal bool TryBegin(CancellationTokenSource cts)
    {
        lock (_gate)
        {
            if (_active is not null) return false;
            _active = cts;
            return true;
        }
    }

    internal void End()
    {
        lock (_gate) { _active = null; }
    }

    internal void Stop()
    {
        lock (_gate)
        {
            StopCount++;
            _active?.Cancel();
        }
    }

    internal bool HasResponse(string id)
    {
        lock (_gate) { return _messages.Any(m => m.Role == "assistant" && m.Id == id); }
    }

    internal void Add(EmulatorMessage message)
    {
        lock (_gate) { _messages.Add(message); }
    }

    internal int Turns
    {
        get { lock (_gate) { return _messages.Count(m => m.Role == "user"); } }
    }
}

/// <summary>A stored message. For assistant messages <see cref="Id"/> is the <c>response_id</c>.</summary>
public sealed class EmulatorMessage
{
    /// <summary>Server id (user message: the <c>parent_id</c> of <c>response.created</c>; assistant: the <c>response_id</c>).</summary>
    public required string Id { get; init; }

    /// <summary><c>user</c> or <c>assistant</c>.</summary>
    public required string Role { get; init; }

    /// <summary>Parent message id (user message: the request's <c>parent_id</c>; assistant: the user message id).</summary>
    public string? ParentId { get; init; }

    /// <summary>User: prompt text. Assistant: the full answer text, or image URLs joined by newlines, or the video URL.</summary>
    public string Content { get; internal set; } = "";

    /// <summary>Model of the request.</summary>
    public string Model { get; init; } = "";

    /// <summary>Chat type of the request (<c>t2t</c>, <c>t2i</c>, <c>t2v</c>, …).</summary>
    public string ChatType { get; init; } = "t2t";

    /// <summary>User: the client's <c>fid</c>.</summary>
    public string? Fid { get; init; }

    /// <summary>User: the <c>size</c> asked for (t2i / t2v).</summary>
    public string? Size { get; init; }

    /// <summary>User: the raw <c>content</c> JSON (string or array of parts).</summary>
    public JsonElement? RawContent { get; init; }

    /// <summary>User: the <c>files</c> entries attached to the message.</summary>
    public IReadOnlyList<JsonElement> Files { get; init; } = [];

    /// <summary>User: the <c>feature_config</c> of the message.</summary>
    public JsonElement? FeatureConfig { get; init; }

    /// <summary>Assistant: image URLs generated (t2i / image_edit).</summary>
    public IReadOnlyList<string> ImageUrls { get; internal set; } = [];

    /// <summary>Assistant: the video task id (t2v / i2v).</summary>
    public string? VideoTaskId { get; internal set; }

    /// <summary>Assistant: the thinking summary thoughts, when thinking ran.</summary>
    public IReadOnlyList<string> Thoughts { get; internal set; } = [];

    /// <summary>Assistant: true once the answer finished.</summary>
    public bool Done { get; internal set; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}
