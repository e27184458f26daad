using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QwenFunctions.Configuration;
using QwenFunctions.Http;
using QwenFunctions.State;

namespace QwenFunctions.Images;

/// <summary>
/// Native POST /api/images with stream=true. t2i takes 10–60 s per image, so the answer is an event stream with
/// `: keep-alive` comments (the upstream's and our own timer's) until the one result event and [DONE].
/// A failure before anything was sent gets a real status; after that it is an in-band error event, never [DONE].
/// </summary>
public sealed class ImageStreamer(
    ImageApi api,
    ClientLimiter limiter,
    IOptionsMonitor<QwenOptions> qwen,
    TimeProvider time,
    ILogger<ImageStreamer> logger)
{
    /// <param name="cancellationToken">The function's <see cref="RequestCancellation"/> token (client gone or host stopping).</param>
    public async Task StreamAsync(HttpContext http, ImageGenerationRequest request, CancellationToken cancellationToken)
    {
        await using var slot = await limiter.AcquireStreamAsync(HttpPipeline.ApiKeyId(http), cancellationToken);
        await using var sse = new SseWriter(http.Response, time, qwen.CurrentValue.Timeouts.KeepAlive);
        try
        {
            var result = await api.Images.GenerateAsync(request, ct => new ValueTask(sse.WriteKeepAliveAsync(ct)), cancellationToken);
            await sse.WriteDataAsync(api.ToNativeAnswer(result), cancellationToken);
            await sse.WriteDoneAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.ClientGone(logger);
        }
        catch (ApiException error)
        {
            if (await sse.TryAbandonBeforeStartAsync())
            {
                throw; // nothing sent yet: the pipeline answers with the real status
            }

            if (!await sse.TryWriteErrorAsync(error, cancellationToken))
            {
                Log.ClientGone(logger);
            }
        }
    }
}
