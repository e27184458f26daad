using System.Text.Encodings.Web;
using System.Text.Json;

namespace QwenFunctions.Anthropic;

public static class AnthropicJson
{
    /// <summary>Anthropic bodies are snake_case; names are matched exactly, as Anthropic does.</summary>
    public static readonly JsonSerializerOptions Request = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = false,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Output is for API clients, not HTML: keep non-ASCII text readable and compact.</summary>
    public static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
