using Microsoft.Azure.Functions.Worker;

namespace QwenFunctions.Video;

/// <summary>The activity triggers: thin adapters over <see cref="VideoUpstreamService"/>.</summary>
public sealed class VideoActivities(VideoUpstreamService service)
{
    public const string CreateChat = "CreateVideoChat";
    public const string Send = "SendVideoRequest";
    public const string Poll = "PollVideoTask";

    [Function(CreateChat)]
    public Task<VideoChatResult> CreateChatAsync([ActivityTrigger] VideoChatRequest request, CancellationToken cancellationToken) =>
        service.CreateChatAsync(request, cancellationToken);

    [Function(Send)]
    public Task<VideoSendResult> SendAsync([ActivityTrigger] VideoSendRequest request, CancellationToken cancellationToken) =>
        service.SendAsync(request, cancellationToken);

    [Function(Poll)]
    public Task<VideoPollResult> PollAsync([ActivityTrigger] VideoPollRequest request, CancellationToken cancellationToken) =>
        service.PollAsync(request, cancellationToken);
}
