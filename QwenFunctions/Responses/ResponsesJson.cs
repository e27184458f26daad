using System.Text.Encodings.Web;
using System.Text.Json;

namespace QwenFunctions.Responses;

internal static class ResponsesJson
{
    /// <summary>snake_case both ways; nulls are written, since the SDK models expect e.g. <c>error: null</c>.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = false,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
