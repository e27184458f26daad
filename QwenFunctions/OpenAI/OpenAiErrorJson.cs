using System.Text.Json;
using QwenFunctions.Http;

namespace QwenFunctions.OpenAI;

/// <summary>The OpenAI error envelope as one SSE data payload: the in-band error of a stream that has started.</summary>
public static class OpenAiErrorJson
{
    public static string Envelope(ApiException error) =>
        JsonSerializer.Serialize(new ApiErrorWriter.OpenAIErrorEnvelope(new ApiErrorWriter.OpenAIError(error.Message, error.Type, error.Param, error.Code)));
}
