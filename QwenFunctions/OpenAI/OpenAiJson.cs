using System.Text.Encodings.Web;
using System.Text.Json;

namespace QwenFunctions.OpenAI;

internal static class OpenAiJson
{
    /// <summary>snake_case in, strict about types (a wrong type is a 400 naming the field).</summary>
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
