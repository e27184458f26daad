using Microsoft.DurableTask.Client;

namespace QwenFunctions.Video;

/// <summary>Runtime status + input + custom status + output → the job a client sees.</summary>
internal static class VideoJobMapper
{
    public static VideoJob? ToJob(OrchestrationMetadata metadata)
    {
        var input = metadata.ReadInputAs<VideoJobInput>();
        if (input is null)
        {
            return null;
        }

        var progress = metadata.ReadCustomStatusAs<VideoProgress>();
        var job = new VideoJob(metadata.InstanceId, VideoJobStatus.Queued, 0, input.CreatedAt, null, null, null,
            progress?.Model ?? input.Task?.Model ?? input.Model, input.Prompt, input.AspectRatio, input.RequestedSize)
        {
            Owner = input.Owner,
        };

        switch (metadata.RuntimeStatus)
        {
            case OrchestrationRuntimeStatus.Completed when metadata.ReadOutputAs<VideoJobResult>() is { } result:
                var done = result.Status == VideoJobStatus.Completed;
                return job with
                {
                    Status = done ? VideoJobStatus.Completed : VideoJobStatus.Failed,
                    Progress = done ? 100 : progress?.Progress ?? 0,
                    CompletedAt = new DateTimeOffset(DateTime.SpecifyKind(result.CompletedAt, DateTimeKind.Utc)),
                    VideoUrl = done ? result.VideoUrl : null,
                    Error = result.Error,
                    Model = result.Model ?? job.Model,
                };
            case OrchestrationRuntimeStatus.Completed:
            case OrchestrationRuntimeStatus.Failed:
                return job with
                {
                    Status = VideoJobStatus.Failed,
                    Progress = progress?.Progress ?? 0,
                    CompletedAt = metadata.LastUpdatedAt,
                    Error = new VideoError(VideoErrorCodes.Internal, "The video job failed unexpectedly."),
                };
            case OrchestrationRuntimeStatus.Terminated:
                return job with { Status = VideoJobStatus.Cancelled, Progress = progress?.Progress ?? 0, CompletedAt = metadata.LastUpdatedAt };
            case OrchestrationRuntimeStatus.Pending:
                return job;
            default:
                // Running, ContinuedAsNew, Suspended: queued until the upstream task exists.
                return progress is { Stage: VideoJobStatus.InProgress }
                    ? job with { Status = VideoJobStatus.InProgress, Progress = progress.Progress }
                    : job;
        }
    }
}
