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

    [Fact]
    public async Task ImageStream_WhileOpen_CountsAgainstTheSameStreamCap()
    {
        await using var app = await EmulatedApp.StartAsync(
            settings: s =>
            {
                s["API_KEYS"] = "client-key";
                s["State:ClientLimits:MaxConcurrentStreams"] = "1";
            },
            emulatorOptions: new QwenFunctions.Tests.Emulator.QwenEmulatorOptions { ImageKeepAliveEvents = 40, KeepAliveInterval = TimeSpan.FromMilliseconds(100) });
        app.Http.DefaultRequestHeaders.Authorization = new("Bearer", "client-key");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        using var image = await app.PostAsync("api/images", new { prompt = "a kite", stream = true }, cts.Token);
        using var reader = new StreamReader(await image.Content.ReadAsStreamAsync(cts.Token));
        Assert.Equal(": keep-alive", await reader.ReadLineAsync(cts.Token)); // the image stream is open
        using var chat = await app.PostAsync("api/v1/chat/completions", StreamBody("while drawing"), cts.Token);

        Assert.Equal(HttpStatusCode.TooManyRequests, chat.StatusCode);
        Assert.Contains("data: [DONE]", await reader.ReadToEndAsync(cts.Token));
    }

    private static object StreamBody(string text) => new { model = "qwen3.6-plus", stream = true, messages = new[] { new { role = "user", content = text } } };
}
