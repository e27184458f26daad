using System.Text.Json;

namespace QwenFunctions.Responses;

/// <summary>
/// The body of <c>POST /v1/responses</c>. Shapes that vary (input, tools, tool_choice) stay JSON and are read by
/// <see cref="ResponseInputReader"/>; unknown fields are accepted and ignored, as OpenAI clients send many.
/// </summary>
public sealed class ResponsesRequest
{
    public string? Model { get; set; }

    /// <summary>A string (one user message) or a list of input items.</summary>
    public JsonElement? Input { get; set; }

    public string? Instructions { get; set; }

    public JsonElement? Tools { get; set; }

    /// <summary><c>none|auto|required</c>, <c>{type:function|custom,name}</c> or <c>{type:allowed_tools,…}</c>.</summary>
    public JsonElement? ToolChoice { get; set; }

    public bool? ParallelToolCalls { get; set; }

    public string? PreviousResponseId { get; set; }

    /// <summary>OpenAI's default is true: the response and its input are kept for GET and previous_response_id.</summary>
    public bool? Store { get; set; }

    public bool? Stream { get; set; }

    public ReasoningOptions? Reasoning { get; set; }

    public TextOptions? Text { get; set; }

    public JsonElement? Metadata { get; set; }

    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public int? MaxOutputTokens { get; set; }

    public sealed class ReasoningOptions
    {
        /// <summary>none|minimal|low|medium|high|xhigh|max: anything but none turns thinking on.</summary>
        public string? Effort { get; set; }

        public string? Summary { get; set; }
    }

    public sealed class TextOptions
    {
        /// <summary><c>{type:text}</c>, <c>{type:json_object}</c> or <c>{type:json_schema,name,schema,strict,description}</c>.</summary>
        public JsonElement? Format { get; set; }

        public string? Verbosity { get; set; }
    }
}
