using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using QwenFunctions.Files;
using QwenFunctions.Http;

namespace QwenFunctions.Images;

/// <summary>Request parsing and answer shaping for the native and OpenAI image routes (functions stay thin).</summary>
public sealed class ImageApi(ImageGenerationService images, SafeDownloader downloader, RequestBodyReader bodyReader, TimeProvider time)
{
    public ImageGenerationService Images => images;

    /// <summary>Native POST /api/images: prompt, model, size (aspect ratio), n, optional chatId/parentId, stream.</summary>
    public async Task<(ImageGenerationRequest Request, bool Stream)> ReadNativeAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        var body = await ReadJsonAsync(http, cancellationToken);
        var request = new ImageGenerationRequest(Str(body, "prompt") ?? "")
        {
            Model = Str(body, "model"),
            Size = Str(body, "size"),
            N = Int(body, "n") ?? 1,
            ChatId = Str(body, "chatId"),
            ParentId = Str(body, "parentId"),
        };
        return (request, body["stream"] is JsonValue s && s.TryGetValue<bool>(out var stream) && stream);
    }

    public string ToNativeAnswer(ImageGenerationResult result) => JsonSerializer.Serialize(
        new NativeImageResult(time.GetUtcNow().ToUnixTimeSeconds(), result.Model, result.Size, result.ChatId, result.ParentId,
            [.. result.Images.Select(i => new NativeImage(i.Url, i.Width, i.Height))]),
        JsonSerializerOptions.Web);

    /// <summary>
    /// The seed's POST /api/chat with chatType "t2i": the answer is a chat.completion whose content is the URLs, one per
    /// line, plus chatId/parentId. <paramref name="onKeepAlive"/> lets a streaming caller send comments meanwhile.
    /// </summary>
    public async Task<JsonObject> SeedChatAsync(string prompt, string? model, string? size, string? chatId, string? parentId,
        Func<CancellationToken, ValueTask>? onKeepAlive, CancellationToken cancellationToken)
    {
        var request = new ImageGenerationRequest(prompt) { Model = model, Size = size, ChatId = chatId, ParentId = parentId };
        var result = await images.GenerateAsync(request, onKeepAlive, cancellationToken);
        return SeedImageChatAnswer.From(result, time.GetUtcNow());
    }

    /// <summary>OpenAI POST /v1/images/generations: prompt, model, n, size (WIDTHxHEIGHT), response_format.</summary>
    public async Task<(ImageGenerationRequest Request, string ResponseFormat)> ReadOpenAIAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        var body = await ReadJsonAsync(http, cancellationToken);
        var format = Str(body, "response_format") ?? "url";
        if (format is not ("url" or "b64_json"))
        {
            throw ApiException.BadRequest($"response_format must be 'url' or 'b64_json'; got '{format}'.", "response_format", "invalid_response_format");
        }

        if (body["stream"] is JsonValue s && s.TryGetValue<bool>(out var stream) && stream)
        {
            throw ApiException.BadRequest("Streaming image generation is not supported; omit stream.", "stream", "unsupported_parameter");
        }

        if (body["n"] is { } n && (n.GetValueKind() != JsonValueKind.Number || !n.AsValue().TryGetValue<int>(out _)))
        {
            throw ApiException.BadRequest("n must be an integer.", "n", "invalid_n");
        }

        var size = Str(body, "size");
        var request = new ImageGenerationRequest(Str(body, "prompt") ?? "")
        {
            Model = Str(body, "model"),
            Size = size is null or "auto" ? null : size,
            N = Int(body, "n") ?? 1,
        };
        return (request, format);
    }

    /// <summary>Exactly n entries; b64_json downloads each image through the capped, guarded downloader.</summary>
    public async Task<string> ToOpenAIAnswerAsync(ImageGenerationResult result, int n, string responseFormat, CancellationToken cancellationToken)
    {
        var data = new List<ImageData>();
        foreach (var image in result.Images.Take(n))
        {
            if (responseFormat == "b64_json")
            {
                var downloaded = await downloader.DownloadAsync(new Uri(image.Url), "response_format", cancellationToken, fromUpstream: true);
                data.Add(new ImageData(B64Json: ToBase64(downloaded.Content)));
            }
            else
            {
                data.Add(new ImageData(Url: image.Url));
            }
        }

        return JsonSerializer.Serialize(new ImagesResponse(time.GetUtcNow().ToUnixTimeSeconds(), data), JsonSerializerOptions.Web);
    }

    private static string ToBase64(ChunkedBuffer content)
    {
        using var stream = content.OpenRead();
        var bytes = new byte[content.Length];
        stream.ReadExactly(bytes);
        return Convert.ToBase64String(bytes);
    }

    private Task<JsonObject> ReadJsonAsync(HttpRequest http, CancellationToken cancellationToken) => bodyReader.ReadJsonAsync<JsonObject>(http, cancellationToken);

    private static string? Str(JsonObject o, string name) =>
        o.TryGetPropertyValue(name, out var v) && v is JsonValue value && value.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    private static int? Int(JsonObject o, string name) =>
        o.TryGetPropertyValue(name, out var v) && v is JsonValue value && value.TryGetValue<int>(out var i) ? i : null;
}
