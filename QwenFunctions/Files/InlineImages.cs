using System.Net;
using QwenFunctions.Http;

namespace QwenFunctions.Files;

/// <summary>data: URIs (base64 only, capped before decoding) and image-type sniffing for bodies without a usable type.</summary>
public static class InlineImages
{
    public static (ChunkedBuffer Content, string? ContentType) DecodeDataUri(string uri, long limit, string param)
    {
        var comma = uri.IndexOf(',');
        var header = comma > 5 ? uri[5..comma] : "";
        if (comma < 0 || !header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
        {
            throw ApiException.BadRequest("Only base64 data: URIs are supported (data:<type>;base64,<data>).", param, "invalid_data_uri");
        }

        var encodedLength = uri.Length - comma - 1;
        if ((long)encodedLength / 4 * 3 > limit + 3)
        {
            throw new ApiException(HttpStatusCode.RequestEntityTooLarge, "invalid_request_error", "image_too_large",
                $"The inline image is larger than the {limit} byte limit.", param);
        }

        var bytes = new byte[encodedLength / 4 * 3 + 3];
        if (!Convert.TryFromBase64Chars(uri.AsSpan(comma + 1), bytes, out var written) || written == 0)
        {
            throw ApiException.BadRequest("The data: URI is not valid base64.", param, "invalid_data_uri");
        }

        if (written > limit)
        {
            throw new ApiException(HttpStatusCode.RequestEntityTooLarge, "invalid_request_error", "image_too_large",
                $"The inline image is larger than the {limit} byte limit.", param);
        }

        return (ChunkedBuffer.From(bytes.AsSpan(0, written)), header[..^7].Split(';')[0].Trim());
    }

    public static string? SniffImageType(ChunkedBuffer content)
    {
        var head = content.Head(12);
        return head switch
        {
            [0x89, (byte)'P', (byte)'N', (byte)'G', ..] => "image/png",
            [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
            [(byte)'G', (byte)'I', (byte)'F', (byte)'8', ..] => "image/gif",
            [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P'] => "image/webp",
            [(byte)'B', (byte)'M', ..] => "image/bmp",
            _ => null,
        };
    }
}
