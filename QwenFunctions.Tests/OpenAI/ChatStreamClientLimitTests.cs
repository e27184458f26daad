using System.Net;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.OpenAI;

/// <summary>State:ClientLimits:MaxConcurrentStreams applied to real chat streams.</summary>
public sealed class ChatStreamClientLimitTests
{
    [Fact]
    public async Task Stream_SecondStreamWhileFirstIsOpen_Gets429AndThirdSucceedsAfterFirstEnds()
    {
        await using var app = await EmulatedApp.StartAsync(settings: s =>
        {
            s["API_KEYS"] = "client-key";
            s["State:ClientLimits:MaxConcurrentStreams"] = "1";
        });
        app.Http.DefaultRequestHeaders.Authorization = new("Bearer", "client-key");
        var gate = app.Emulator.PauseAfterFirstAnswerDelta();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        using var first = await app.PostAsync("api/v1/chat/completions", StreamBody("one"), cts.Token);
        await gate.FirstDeltaSent.WaitAsync(cts.Token);
        using var second = await app.PostAsync("api/v1/chat/completions", StreamBody("two"), cts.Token);
        var secondBody = await second.Content.ReadAsStringAsync(cts.Token);

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Contains("rate_limit_exceeded", secondBody);
        Assert.Equal("true", second.Headers.GetValues("x-should-retry").Single());

        gate.Release();
        await first.Content.ReadAsStringAsync(cts.Token);
        using var third = await app.PostAsync("api/v1/chat/completions", StreamBody("three"), cts.Token);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Contains("[DONE]", await third.Content.ReadAsStringAsync(cts.Token));
    }

    private static object StreamBody(string text) => new { model = "qwen3.6-plus", stream = true, messages = new[] { new { role = "user", content = text } } };
}
