using System.Text.Json;

namespace QwenFunctions.Responses;

/// <summary>What StoredResponses and ResponseEventWriter write as JSON nodes or by hand, as types for the OpenAPI document.</summary>
public static class ResponsesOpenApi
{
    public const string Description =
        "Tools are described to the model in Qwen's own tool-call format and its calls parsed back; tool types the app cannot run " +
        "(web_search, mcp, …) are left out. JSON text formats are asked for in words (best effort). With `store` (default true) the response " +
        "is kept for GET and `previous_response_id`, which continues the same upstream chat with only the new input.";

    public const string Stream =
        "Server-Sent Events in the Responses order: response.created, response.in_progress, then per output item output_item.added, its deltas " +
        "(reasoning_summary_text, output_text, function_call_arguments, custom_tool_call_input) and output_item.done, then response.completed " +
        "with the whole output and usage. A failure after the stream started is an `error` event followed by response.failed, never response.completed. " +
        "Lines starting with `:` are heartbeats. No [DONE].";

    /// <param name="Object">list</param>
    /// <param name="Data">Input items with their ids: message, function_call, function_call_output, custom_tool_call, custom_tool_call_output.</param>
    public sealed record ResponseInputItemList(string Object, IReadOnlyList<JsonElement> Data, string? FirstId, string? LastId, bool HasMore);
}
