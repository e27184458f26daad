using System.Text.Json;
using System.Text.Json.Serialization;
using QwenFunctions.Upstream;

namespace QwenFunctions.Responses;

/// <summary>
/// The <c>response</c> object (openai-python <c>types/responses/response.py</c>). The typed SDK models require
/// id, created_at, model, object, output, parallel_tool_calls, tool_choice and tools, so the request's values are
/// echoed; streams serialize the same instance at each lifecycle event, so <c>response.completed</c> carries it whole.
/// </summary>
public sealed class ResponseObject
{
    public required string Id { get; init; }

    [JsonPropertyOrder(-1)]
    public string Object => "response";

    public required long CreatedAt { get; init; }

    /// <summary>completed | failed | in_progress | incomplete.</summary>
    public string Status { get; set; } = "in_progress";

    public ResponseError? Error { get; set; }

    public ResponseIncompleteDetails? IncompleteDetails { get; set; }

    public string? Instructions { get; init; }

    public int? MaxOutputTokens { get; init; }

    public required string Model { get; init; }

    public List<ResponseOutputItem> Output { get; } = [];

    public bool ParallelToolCalls { get; init; } = true;

    public string? PreviousResponseId { get; init; }

    public ResponseReasoning Reasoning { get; init; } = new(null, null);

    public bool Store { get; init; } = true;

    public double? Temperature { get; init; }

    public JsonElement Text { get; init; } = DefaultText;

    public JsonElement ToolChoice { get; init; } = AutoChoice;

    public JsonElement Tools { get; init; } = NoTools;

    public double? TopP { get; init; }

    public string Truncation => "disabled";

    public ResponseUsage? Usage { get; set; }

    public JsonElement Metadata { get; init; } = NoMetadata;

    private static readonly JsonElement DefaultText = JsonDocument.Parse("""{"format":{"type":"text"}}""").RootElement.Clone();
    private static readonly JsonElement AutoChoice = JsonDocument.Parse("\"auto\"").RootElement.Clone();
    private static readonly JsonElement NoTools = JsonDocument.Parse("[]").RootElement.Clone();
    private static readonly JsonElement NoMetadata = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>A new in-progress response that echoes what the client asked for.</summary>
    public static ResponseObject For(ParsedResponsesRequest request, string modelName, long createdAt)
    {
        var body = request.Body;
        return new ResponseObject
        {
            Id = ResponseIds.New(ResponseIds.Response),
            CreatedAt = createdAt,
            Model = modelName,
            Instructions = body.Instructions,
            MaxOutputTokens = body.MaxOutputTokens,
            ParallelToolCalls = request.Tools.ParallelCalls,
            PreviousResponseId = request.PreviousResponseId,
            Reasoning = new ResponseReasoning(body.Reasoning?.Effort, body.Reasoning?.Summary),
            Store = request.Store,
            Temperature = body.Temperature,
            TopP = body.TopP,
            Text = body.Text?.Format is { ValueKind: JsonValueKind.Object } format
                ? JsonSerializer.SerializeToElement(new { format }) : DefaultText,
            ToolChoice = body.ToolChoice is { ValueKind: JsonValueKind.String or JsonValueKind.Object } choice ? choice.Clone() : AutoChoice,
            Tools = body.Tools is { ValueKind: JsonValueKind.Array } tools ? tools.Clone() : NoTools,
            Metadata = body.Metadata is { ValueKind: JsonValueKind.Object } metadata ? metadata.Clone() : NoMetadata,
        };
    }
}

public sealed record ResponseError(string Code, string Message);

public sealed record ResponseIncompleteDetails(string Reason);

public sealed record ResponseReasoning(string? Effort, string? Summary);

/// <summary>Usage in the Responses names; Codex needs integer input/output/total and the detail counts when details are sent.</summary>
public sealed record ResponseUsage(int InputTokens, ResponseUsage.InputDetails InputTokensDetails, int OutputTokens, ResponseUsage.OutputDetails OutputTokensDetails, int TotalTokens)
{
    public static ResponseUsage From(QwenUsage? usage) => usage is null
        ? new(0, new(0, 0), 0, new(0), 0)
        : new(usage.InputTokens, new(usage.CachedTokens, 0), usage.OutputTokens, new(usage.ReasoningTokens), usage.TotalTokens);

    public sealed record InputDetails(int CachedTokens, int CacheWriteTokens);

    public sealed record OutputDetails(int ReasoningTokens);
}

/// <summary>An output item. Mutable while its stream is open; <c>output_item.done</c> sends its final state.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ResponseReasoningItem), "reasoning")]
[JsonDerivedType(typeof(ResponseMessageItem), "message")]
[JsonDerivedType(typeof(ResponseFunctionCallItem), "function_call")]
[JsonDerivedType(typeof(ResponseCustomToolCallItem), "custom_tool_call")]
public abstract class ResponseOutputItem
{
    public required string Id { get; init; }
}

/// <summary>Qwen's thinking as a summary; Codex requires <c>summary</c> to be present, so it is <c>[]</c> until text arrives.</summary>
public sealed class ResponseReasoningItem : ResponseOutputItem
{
    public List<ResponseSummaryText> Summary { get; } = [];

    public string? EncryptedContent => null;
}

public sealed record ResponseSummaryText(string Text)
{
    [JsonPropertyOrder(-1)]
    public string Type => "summary_text";
}

public sealed class ResponseMessageItem : ResponseOutputItem
{
    public string Status { get; set; } = "in_progress";

    public string Role => "assistant";

    public List<ResponseOutputText> Content { get; } = [];
}

public sealed record ResponseOutputText(string Text)
{
    [JsonPropertyOrder(-1)]
    public string Type => "output_text";

    public object[] Annotations => [];

    public object[] Logprobs => [];
}

public sealed class ResponseFunctionCallItem : ResponseOutputItem
{
    public required string CallId { get; init; }

    public required string Name { get; init; }

    /// <summary>A JSON text, as OpenAI sends it (not an object).</summary>
    public string Arguments { get; set; } = "";

    public string Status { get; set; } = "in_progress";
}

/// <summary>A freeform tool's call: <see cref="Input"/> is the raw text (Codex's apply_patch fails on a JSON-wrapped one).</summary>
public sealed class ResponseCustomToolCallItem : ResponseOutputItem
{
    public required string CallId { get; init; }

    public required string Name { get; init; }

    public string Input { get; set; } = "";
}
