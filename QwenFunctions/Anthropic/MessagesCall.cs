namespace QwenFunctions.Anthropic;

/// <summary>A validated Messages API request, in Anthropic's own terms (the pipeline mapping happens after this).</summary>
public sealed record MessagesCall
{
    public required string Model { get; init; }

    /// <summary>Null for count_tokens, which has none.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>The system text ("" when none).</summary>
    public string System { get; init; } = "";

    public required IReadOnlyList<AnthropicTurn> Messages { get; init; }

    /// <summary>Client (custom) tools only; server tools with dated types are left out.</summary>
    public IReadOnlyList<AnthropicTool> Tools { get; init; } = [];

    public AnthropicToolChoice ToolChoice { get; init; } = AnthropicToolChoice.Auto;

    /// <summary>Explicit thinking switch; null leaves it to the model name.</summary>
    public bool? Thinking { get; init; }

    public IReadOnlyList<string> StopSequences { get; init; } = [];

    public bool Stream { get; init; }
}

public sealed record AnthropicTurn(string Role, IReadOnlyList<AnthropicBlock> Blocks)
{
    public const string User = "user";
    public const string Assistant = "assistant";
}

/// <summary>An input content block the upstream can use; empty text blocks are dropped while reading.</summary>
public abstract record AnthropicBlock;

public sealed record TextInput(string Text) : AnthropicBlock;

/// <summary>An image as a URL or a <c>data:</c> URI (base64 sources).</summary>
public sealed record ImageInput(string Url) : AnthropicBlock;

/// <summary>A document: a file reference (URL or <c>data:</c> URI) for PDFs, or inline text for text sources.</summary>
public sealed record DocumentInput(string? FileRef, string? Text, string? Title) : AnthropicBlock;

/// <summary>An earlier call of the assistant; <see cref="InputJson"/> is compact JSON of an object.</summary>
public sealed record ToolUseInput(string Id, string Name, string InputJson) : AnthropicBlock;

public sealed record ToolResultInput(string ToolUseId, string Text, IReadOnlyList<string> ImageUrls, bool IsError) : AnthropicBlock;

/// <summary>Thinking sent back by the client: never forwarded upstream; <see cref="Verified"/> says whether this app signed it.</summary>
public sealed record ThinkingInput(string Thinking, bool Verified) : AnthropicBlock;

public sealed record AnthropicTool(string Name, string? Description, System.Text.Json.Nodes.JsonObject InputSchema);

public enum ToolChoiceType
{
    Auto,
    Any,
    Tool,
    None,
}

public sealed record AnthropicToolChoice(ToolChoiceType Type, string? Name = null, bool DisableParallelToolUse = false)
{
    public static readonly AnthropicToolChoice Auto = new(ToolChoiceType.Auto);
}
