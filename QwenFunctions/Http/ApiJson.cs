using System.Text.Encodings.Web;
using System.Text.Json;

namespace QwenFunctions.Http;

/// <summary>
/// JSON of the vendor-compatible surfaces (OpenAI chat, Responses, Anthropic Messages): snake_case both ways, names
/// matched exactly as the vendors do, strict about types (a wrong type is a 400 naming the field); nulls are written,
/// since the SDK models expect e.g. <c>error: null</c>.
/// </summary>
public static class ApiJson
{
    /// <summary>Output is for API clients, not HTML: keep non-ASCII text readable and compact.</summary>
    public static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = false,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        Encoder = Writer.Encoder,
    };
}
