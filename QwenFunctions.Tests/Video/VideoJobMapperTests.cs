using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Client;
using QwenFunctions.Video;

namespace QwenFunctions.Tests.Video;

/// <summary>The orchestration's runtime status (plus its progress and result) → the status a client polls for.</summary>
public sealed class VideoJobMapperTests
{
    private static readonly DateTimeOffset Created = new(2026, 2, 17, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Updated = Created.AddMinutes(3);

    private static readonly VideoProgress Starting = new(VideoJobStatus.Queued, 0, "wan2.5-t2v", null, 0, Created.UtcDateTime);
    private static readonly VideoProgress Generating = new(VideoJobStatus.InProgress, 40, "wan2.5-t2v", "running", 3, Updated.UtcDateTime);

    [Fact]
    public void ToJob_Pending_Queued()
    {
        var job = Map(OrchestrationRuntimeStatus.Pending);

        Assert.Equal(VideoJobStatus.Queued, job.Status);
        Assert.Equal(0, job.Progress);
        Assert.Null(job.CompletedAt);
    }

    [Fact]
    public void ToJob_RunningBeforeTheUpstreamTaskStarted_Queued()
    {
        Assert.Equal(VideoJobStatus.Queued, Map(OrchestrationRuntimeStatus.Running).Status);
        Assert.Equal(VideoJobStatus.Queued, Map(OrchestrationRuntimeStatus.Running, Starting).Status);
    }

    [Fact]
    public void ToJob_RunningAfterTheUpstreamTaskStarted_InProgressWithItsProgress()
    {
        var job = Map(OrchestrationRuntimeStatus.Running, Generating);

        Assert.Equal(VideoJobStatus.InProgress, job.Status);
        Assert.Equal(40, job.Progress);
        Assert.False(job.IsTerminal);
    }

    [Fact]
    public void ToJob_CompletedWithSuccess_CompletedWithUrlAndFullProgress()
    {
        var result = new VideoJobResult(VideoJobStatus.Completed, "wan2.5-t2v", "https://cdn.example/v.mp4", null, Updated.UtcDateTime);

        var job = Map(OrchestrationRuntimeStatus.Completed, Generating, result);

        Assert.Equal(VideoJobStatus.Completed, job.Status);
        Assert.Equal(100, job.Progress);
        Assert.Equal("https://cdn.example/v.mp4", job.VideoUrl);
        Assert.Equal(Updated, job.CompletedAt);
        Assert.Null(job.Error);
    }

    [Fact]
    public void ToJob_CompletedWithFailure_FailedWithTheResultsErrorAndNoUrl()
    {
        var error = new VideoError(VideoErrorCodes.TaskFailed, "The upstream could not generate the video.");
        var result = new VideoJobResult(VideoJobStatus.Failed, "wan2.5-t2v", "https://cdn.example/partial.mp4", error, Updated.UtcDateTime);

        var job = Map(OrchestrationRuntimeStatus.Completed, Generating, result);

        Assert.Equal(VideoJobStatus.Failed, job.Status);
        Assert.Equal(error, job.Error);
        Assert.Null(job.VideoUrl);
        Assert.Equal(40, job.Progress);
    }

    [Fact]
    public void ToJob_CompletedWithoutOutput_FailedWithInternalError()
    {
        var job = Map(OrchestrationRuntimeStatus.Completed, Generating);

        Assert.Equal(VideoJobStatus.Failed, job.Status);
        Assert.Equal(VideoErrorCodes.Internal, job.Error?.Code);
        Assert.Equal(Updated, job.CompletedAt);
    }

    [Fact]
    public void ToJob_Failed_FailedWithInternalErrorAndNoUrl()
    {
        var job = Map(OrchestrationRuntimeStatus.Failed, Generating);

        Assert.Equal(VideoJobStatus.Failed, job.Status);
        Assert.Equal(VideoErrorCodes.Internal, job.Error?.Code);
        Assert.Null(job.VideoUrl);
        Assert.True(job.IsTerminal);
    }

    [Fact]
    public void ToJob_Terminated_Cancelled()
    {
        var job = Map(OrchestrationRuntimeStatus.Terminated, Generating);

        Assert.Equal(VideoJobStatus.Cancelled, job.Status);
        Assert.Equal(Updated, job.CompletedAt);
        Assert.True(job.IsTerminal);
    }

    // Suspending pauses only our polling: an upstream task already started keeps generating, one not started yet does not exist.
    [Fact]
    public void ToJob_SuspendedAfterTheUpstreamTaskStarted_InProgress()
    {
        var job = Map(OrchestrationRuntimeStatus.Suspended, Generating);

        Assert.Equal(VideoJobStatus.InProgress, job.Status);
        Assert.False(job.IsTerminal);
    }

    [Fact]
    public void ToJob_SuspendedBeforeTheUpstreamTaskStarted_Queued()
    {
        Assert.Equal(VideoJobStatus.Queued, Map(OrchestrationRuntimeStatus.Suspended, Starting).Status);
    }

    [Fact]
    public void ToJob_NoInput_Null()
    {
        var metadata = new OrchestrationMetadata(nameof(VideoOrchestrator), "job-1")
        {
            RuntimeStatus = OrchestrationRuntimeStatus.Running,
            DataConverter = JsonDataConverter.Default,
        };

        Assert.Null(VideoJobMapper.ToJob(metadata));
    }

    [Fact]
    public void ToJob_AnyStatus_KeepsTheRequestFields()
    {
        var job = Map(OrchestrationRuntimeStatus.Running, Generating);

        Assert.Equal("job-1", job.Id);
        Assert.Equal("a fox in the snow", job.Prompt);
        Assert.Equal("16:9", job.AspectRatio);
        Assert.Equal("1280x720", job.RequestedSize);
        Assert.Equal(Created, job.CreatedAt);
        Assert.Equal("wan2.5-t2v", job.Model);
    }

    private static VideoJob Map(OrchestrationRuntimeStatus status, VideoProgress? progress = null, VideoJobResult? result = null)
    {
        var converter = JsonDataConverter.Default;
        var input = new VideoJobInput("a fox in the snow", null, "16:9", "1280x720", Created,
            TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(3), 30);
        var metadata = new OrchestrationMetadata(nameof(VideoOrchestrator), "job-1")
        {
            RuntimeStatus = status,
            CreatedAt = Created,
            LastUpdatedAt = Updated,
            DataConverter = converter,
            SerializedInput = converter.Serialize(input),
            SerializedCustomStatus = progress is null ? null : converter.Serialize(progress),
            SerializedOutput = result is null ? null : converter.Serialize(result),
        };

        return VideoJobMapper.ToJob(metadata) ?? throw new InvalidOperationException("The input did not round-trip.");
    }
}
