using System.Text.Encodings.Web;
using System.Text.Json;

namespace QwenFunctions.Chat.Tools;

internal static class ToolJson
{
    // Like Qwen's own templates (json.dumps(ensure_ascii=False)): non-ASCII text stays readable to the model.
    public static readonly JsonSerializerOptions Prompt = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
