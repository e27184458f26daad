using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QwenFunctions.Accounts;
using QwenFunctions.Http;
using QwenFunctions.Models;
using QwenFunctions.Upstream;

namespace QwenFunctions.Images;

/// <summary>
/// Text-to-image through the web chat (chat_type t2i): one upstream chat per request, generations repeated in it until
/// `n` images exist. Runs under the account runner with the Image feature, so a RateLimited answer cools down only the
/// account's image quota. Upstream keep-alives are passed to the caller (streaming clients turn them into comments).
/// </summary>
public sealed class ImageGenerationService(
    AccountAttemptRunner runner,
    AccountOwners owners,
    QwenApiClient api,
    QwenChatClient chat,
    IAccountBindingStore bindings,
    ModelCatalog models,
    IOptionsMonitor<ImagesOptions> options,
    UpstreamMessageLimit messageLimit,
    ILogger<ImageGenerationService> logger)
{
    /// <param name="onKeepAlive">Called for each upstream keep-alive while an image is being drawn (10–60 s per image).</param>
    public async Task<ImageGenerationResult> GenerateAsync(ImageGenerationRequest request, Func<CancellationToken, ValueTask>? onKeepAlive, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (string.IsNullOrWhiteSpace(request.Prompt))
        {
            throw ApiException.BadRequest("A prompt is required.", "prompt", "missing_prompt");
        }

        if (request.N < 1 || request.N > settings.MaxImagesPerRequest)
        {
            throw ApiException.BadRequest($"n must be between 1 and {settings.MaxImagesPerRequest}.", "n", "invalid_n");
        }

        var size = request.Size is null ? settings.DefaultSize : AspectRatios.Normalize(request.Size)
            ?? throw ApiException.BadRequest($"Unsupported size '{request.Size}': use {AspectRatios.Allowed} or WIDTHxHEIGHT.", "size", "invalid_size");
        var probe = new QwenCompletionRequest(UpstreamMessageLimit.IdPlaceholder, request.Model ?? "", request.Prompt)
        {
            ChatType = "t2i", Size = size, ParentId = UpstreamMessageLimit.IdPlaceholder,
        };
        if (messageLimit.Measure(probe) is (var bytes, TooLarge: true))
        {
            throw ApiException.BadRequest(
                $"The prompt is too long for the upstream: the message would be {bytes} bytes, over the {messageLimit.Limit}-byte limit (Proxy:MaxUpstreamMessageBytes).",
                "prompt", "prompt_too_long");
        }

        var model = await ResolveModelAsync(request.Model, cancellationToken);
        var bound = request.ChatId is null ? null : await owners.OfConversationAsync(request.ChatId, cancellationToken);

        var images = new List<GeneratedImage>();
        string? chatId = null, parentId = null, chatAccount = null;
        var (_, account) = await runner.RunAsync(QwenFeature.Image, bound, async (account, ct) =>
        {
            if (chatAccount != account.Id)
            {
                // A chat belongs to its account: after a rotation the images so far stay, the chat starts anew.
                (chatId, parentId) = request.ChatId is not null
                    ? (request.ChatId, request.ParentId)
                    : (await api.CreateChatAsync(account, model, "t2i", ct), null);
                chatAccount = account.Id;
            }

            while (images.Count < request.N)
            {
                var turn = await DrawOnceAsync(account, new QwenCompletionRequest(chatId!, model, request.Prompt) { ChatType = "t2i", Size = size, ParentId = parentId }, onKeepAlive, ct);
                parentId = turn.ResponseId ?? parentId;
                images.AddRange(turn.Images);
            }

            return true;
        }, cancellationToken);

        await bindings.BindAsync(BindingKind.Conversation, chatId!, account.Id, cancellationToken);
        Log.Generated(logger, images.Count, account.Id, model, size);
        return new ImageGenerationResult(images, chatId!, parentId, model, size, account.Id);
    }

    private async Task<(IReadOnlyList<GeneratedImage> Images, string? ResponseId)> DrawOnceAsync(
        QwenAccount account, QwenCompletionRequest request, Func<CancellationToken, ValueTask>? onKeepAlive, CancellationToken cancellationToken)
    {
        var images = new List<GeneratedImage>();
        string? responseId = null;
        await foreach (var ev in chat.StreamAsync(account, request, cancellationToken))
        {
            switch (ev)
            {
                case QwenResponseCreated created:
                    responseId = created.ResponseId is { Length: > 0 } id ? id : responseId;
                    break;
                case QwenKeepAlive when onKeepAlive is not null:
                    await onKeepAlive(cancellationToken);
                    break;
                case QwenImageGenerated image:
                    images.Add(new GeneratedImage(image.Url, image.Width, image.Height));
                    break;
            }
        }

        if (images.Count == 0)
        {
            // Some streams finish without the URL; the stored chat still has it (docs/upstream.md §6.4, §6.7).
            Log.DetailsFallback(logger, account.Id);
            using var details = await api.GetChatDetailsAsync(account, request.ChatId, cancellationToken);
            images.AddRange(ChatDetailsImages.Extract(details.RootElement, responseId).Select(url => new GeneratedImage(url, null, null)));
        }

        if (images.Count == 0)
        {
            throw new QwenUpstreamException(UpstreamErrorKind.EmptyStream, "The image generation finished without an image.");
        }

        return (images, responseId);
    }

    private async Task<string> ResolveModelAsync(string? requested, CancellationToken cancellationToken)
    {
        // OpenAI SDKs always name a model; their names mean "whatever draws here".
        var named = requested is { Length: > 0 } && !requested.StartsWith("dall-e", StringComparison.OrdinalIgnoreCase)
            && !requested.StartsWith("gpt-image", StringComparison.OrdinalIgnoreCase) ? requested : null;
        return await models.ResolveGenerationModelAsync(named, options.CurrentValue.DefaultModel, "t2i", cancellationToken)
            ?? throw new ApiException(System.Net.HttpStatusCode.ServiceUnavailable, "server_error", "no_image_model",
                "No image model is configured (Images:DefaultModel) and the upstream lists none.");
    }
}
