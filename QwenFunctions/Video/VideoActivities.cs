using Microsoft.Azure.Functions.Worker;

namespace QwenFunctions.Video;

/// <summary>The activity triggers: thin adapters over <see cref="VideoUpstreamService"/>.</summary>
public sealed class VideoActivities(VideoUpstreamService service)
{
    public const string Start = "StartVideoTask";
    public const string Poll = "PollVideoTask";

    [Function(Start)]
    public Task<VideoStartResult> StartAsync([ActivityTrigger] VideoStartRequest request, CancellationToken cancellationToken) =>
        service.StartAsync(request, cancellationToken);

    [Function(Poll)]
    public Task<VideoPollResult> PollAsync([ActivityTrigger] VideoPollRequest request, CancellationToken cancellationToken) =>
        service.PollAsync(request, cancellationToken);
}
