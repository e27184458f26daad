using System.Text.Json;
using QwenFunctions.Upstream;
using QwenFunctions.Video;

namespace QwenFunctions.Tests.Video;

public sealed class VideoUpstreamParsingTests
{
    [Fact]
    public void ReadVideoTaskId_DocumentedShape_ReadsWanxTaskId()
    {
        using var doc = JsonDocument.Parse("""
            {"success":true,"request_id":"r","data":{"chat_id":"c","messages":[{"role":"assistant","content":"",
             "extra":{"wanx":{"task_id":"e6b0a76d-3f1c-4a55-9a77-0c2d1e3f4a5b"}}}]}}
            """);

        Assert.Equal("e6b0a76d-3f1c-4a55-9a77-0c2d1e3f4a5b", QwenApiClient.ReadVideoTaskId(doc.RootElement));
    }

    [Fact]
    public void ReadVideoTaskId_TaskIdElsewhere_FindsIt()
    {
        using var doc = JsonDocument.Parse("""{"data":{"result":{"task_id":"t-1"}}}""");

        Assert.Equal("t-1", QwenApiClient.ReadVideoTaskId(doc.RootElement));
    }

    [Fact]
    public void ReadVideoTaskId_NoTaskId_ReturnsNull()
    {
        using var doc = JsonDocument.Parse("""{"success":true,"data":{"messages":[]}}""");

        Assert.Null(QwenApiClient.ReadVideoTaskId(doc.RootElement));
    }

    [Theory]
    [InlineData("""{"success":true,"data":{"task_status":"success","content":"https://cdn/x.mp4?key=k","remaining_time":""}}""")]
    [InlineData("""{"task_status":"success","content":"https://cdn/x.mp4?key=k"}""")]
    public void ReadVideoTaskStatus_V2WrappedOrV1Flat_ReadsStatusAndUrl(string json)
    {
        using var doc = JsonDocument.Parse(json);

        var status = QwenApiClient.ReadVideoTaskStatus(doc.RootElement);

        Assert.Equal("success", status.Status);
        Assert.Equal("https://cdn/x.mp4?key=k", status.VideoUrl);
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(90, 50)]
    [InlineData(180, 95)]
    [InlineData(3600, 95)]
    public void EstimateProgress_ElapsedAgainstTypicalDuration_StaysBelowDone(int elapsedSeconds, int expected) =>
        Assert.Equal(expected, VideoOrchestrator.EstimateProgress(TimeSpan.FromSeconds(elapsedSeconds), TimeSpan.FromMinutes(3), null));

    [Fact]
    public void EstimateProgress_RemainingTimeGiven_UsesIt() =>
        Assert.Equal(50, VideoOrchestrator.EstimateProgress(TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(10), remainingSeconds: 60));
}
