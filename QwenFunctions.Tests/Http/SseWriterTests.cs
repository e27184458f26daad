using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using QwenFunctions.Http;

namespace QwenFunctions.Tests.Http;

public sealed class SseWriterTests
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task WriteDataAsync_EveryEvent_IsFlushedOnce()
    {
        var (context, body) = Context();
        await using var writer = new SseWriter(context.Response, new FakeTimeProvider(), KeepAlive);

        await writer.WriteDataAsync("{\"a\":1}", default);
        await writer.WriteDataAsync("{\"b\":2}", default);
        await writer.WriteDoneAsync(default);

        Assert.Equal(3, writer.EventCount);
        Assert.Equal(writer.EventCount, body.Flushes);
        Assert.Equal("data: {\"a\":1}\n\ndata: {\"b\":2}\n\ndata: [DONE]\n\n", body.Text);
        Assert.Equal("text/event-stream; charset=utf-8", context.Response.ContentType);
        Assert.Equal("no-cache", context.Response.Headers.CacheControl.ToString());
    }

    [Fact]
    public async Task Heartbeat_AfterKeepAliveOfSilence_WritesCommentOnly()
    {
        var time = new FakeTimeProvider();
        var (context, body) = Context();
        await using var writer = new SseWriter(context.Response, time, KeepAlive);
        await writer.WriteDataAsync("{}", default);

        time.Advance(KeepAlive - TimeSpan.FromSeconds(1));
        var beforeInterval = body.Text;
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("data: {}\n\n", beforeInterval);
        Assert.Equal("data: {}\n\n: keep-alive\n\n", body.Text);
        Assert.Equal(1, writer.EventCount);
    }

    [Fact]
    public async Task TryAbandonBeforeStart_NothingSent_ReturnsTrueAndSilencesHeartbeat()
    {
        var time = new FakeTimeProvider();
        var (context, body) = Context();
        await using var writer = new SseWriter(context.Response, time, KeepAlive);

        var abandoned = await writer.TryAbandonBeforeStartAsync();
        time.Advance(KeepAlive * 3);

        Assert.True(abandoned);
        Assert.False(writer.Started);
        Assert.Equal("", body.Text);
    }

    [Fact]
    public async Task TryAbandonBeforeStart_AfterHeartbeat_ReturnsFalse()
    {
        var time = new FakeTimeProvider();
        var (context, _) = Context();
        await using var writer = new SseWriter(context.Response, time, KeepAlive);

        time.Advance(KeepAlive);

        Assert.False(await writer.TryAbandonBeforeStartAsync());
        Assert.True(writer.Started);
    }

    private static (DefaultHttpContext Context, CountingStream Body) Context()
    {
        var body = new CountingStream();
        var context = new DefaultHttpContext();
        context.Response.Body = body;
        return (context, body);
    }

    /// <summary>A response body that records what was written and how often it was flushed.</summary>
    private sealed class CountingStream : MemoryStream
    {
        public int Flushes { get; private set; }

        public string Text => System.Text.Encoding.UTF8.GetString(ToArray());

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            Flushes++;
            return Task.CompletedTask;
        }
    }
}
