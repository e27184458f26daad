using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using QwenFunctions.Video;

namespace QwenFunctions.Tests.Video;

/// <summary>
/// Durable Functions' management URLs carry the host's system key (…/runtime/webhooks/durabletask/…?code=…); a client
/// must only ever see our own job URLs. Every video route is walked over HTTP, while the jobs run, after they end,
/// for unknown ids and after deletion, and every status, header and body is checked.
/// </summary>
public sealed class VideoRouteExposureTests
{
    private static readonly string[] Forbidden = ["runtime/webhooks/durabletask", "code="];

    [Fact]
    public async Task EveryVideoRoute_AnyJobState_NeverExposesDurableWebhooksOrTheSystemKey()
    {
        await using var host = await VideoTestHost.StartAsync();
        using var http = host.NonRedirectingClient();
        var seen = new List<string>();

        async Task<string> SendAsync(HttpMethod method, string path, object? body = null)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var headers = response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(',', h.Value)}");
            seen.Add($"{method} {path} -> {(int)response.StatusCode}\n{string.Join('\n', headers)}\n{text}");
            return text;
        }

        static string Id(string json) => JsonDocument.Parse(json).RootElement.GetProperty("id").GetString()!;

        var native = Id(await SendAsync(HttpMethod.Post, "api/videos", new { prompt = "A red kite", size = "16:9" }));
        var openAI = Id(await SendAsync(HttpMethod.Post, "api/v1/videos", new { model = "sora-2", prompt = "A red kite", size = "1280x720" }));
        var chat = Id(await SendAsync(HttpMethod.Post, "api/chat", new { message = "A red kite", chatType = "t2v", size = "16:9" }));
        string[] ids = [native, openAI, chat];

        async Task ReadEveryRouteAsync()
        {
            foreach (var id in ids)
            {
                await SendAsync(HttpMethod.Get, $"api/videos/{id}");
                await SendAsync(HttpMethod.Get, $"api/videos/{id}/content");
                await SendAsync(HttpMethod.Get, $"api/tasks/status/{id}");
                await SendAsync(HttpMethod.Get, $"api/v1/videos/{id}");
                await SendAsync(HttpMethod.Get, $"api/v1/videos/{id}/content");
            }
        }

        await ReadEveryRouteAsync();
        foreach (var id in ids)
        {
            Assert.Equal(VideoJobStatus.Completed, (await host.WaitForEndAsync(id)).Status);
        }

        await ReadEveryRouteAsync();
        await SendAsync(HttpMethod.Delete, $"api/videos/{native}");
        await SendAsync(HttpMethod.Delete, $"api/v1/videos/{openAI}");
        await ReadEveryRouteAsync();
        const string unknown = "video_00000000000000000000000000000000";
        await SendAsync(HttpMethod.Get, $"api/videos/{unknown}");
        await SendAsync(HttpMethod.Get, $"api/tasks/status/{unknown}");
        await SendAsync(HttpMethod.Delete, $"api/v1/videos/{unknown}");

        Assert.Contains(seen, s => s.Contains("-> 202", StringComparison.Ordinal));
        Assert.Contains(seen, s => s.Contains("-> 302", StringComparison.Ordinal));
        Assert.Contains(seen, s => s.Contains("-> 404", StringComparison.Ordinal));
        var leaks = seen.Where(s => Forbidden.Any(f => s.Contains(f, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(leaks.Count == 0, "Responses exposing durable management URLs:\n" + string.Join("\n\n", leaks));
    }
}
