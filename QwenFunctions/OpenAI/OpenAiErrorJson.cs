using System.Buffers;
using System.Text;
using System.Text.Json;
using QwenFunctions.Http;

namespace QwenFunctions.OpenAI;

/// <summary>The OpenAI error envelope, also used as the in-band error event of a started stream.</summary>
public static class OpenAiErrorJson
{
    public static string Envelope(ApiException error)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, OpenAiJson.Writer))
        {
            w.WriteStartObject();
            w.WriteStartObject("error");
            w.WriteString("message", error.Message);
            w.WriteString("type", error.Type);
            WriteNullable(w, "param", error.Param);
            WriteNullable(w, "code", error.Code);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}
