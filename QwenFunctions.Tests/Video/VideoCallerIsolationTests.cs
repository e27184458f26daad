using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using QwenFunctions.Video;

namespace QwenFunctions.Tests.Video;

/// <summary>A video job belongs to the API key that started it: to every other key its id is unknown (404).</summary>
public sealed class VideoCallerIsolationTests
{
    private const string Owner = "sk-video-owner";
    private const string Other = "sk-video-other";

    [Fact]
    public async Task VideoRoutes_AnotherKey_GetsThe404OfAnUnknownIdAndCannotCancel()
    {
        await using var host = await VideoTestHost.StartAsync(
            emulator: o => o.VideoRunningPolls = int.MaxValue,
            settings: new() { ["API_KEYS"] = $"{Owner},{Other}" });
        using var http = host.NonRedirectingClient();
        var id = (await SendAsync(http, HttpMethod.Post, "api/v1/videos", Owner, new { prompt = "A red kite" })).Body.GetProperty("id").GetString()!;
        const string unknown = "video_00000000000000000000000000000000";

        foreach (var (method, path) in new[]
        {
            (HttpMethod.Get, "api/videos/{0}"), (HttpMethod.Get, "api/videos/{0}/content"), (HttpMethod.Get, "api/tasks/status/{0}"),
            (HttpMethod.Get, "api/v1/videos/{0}"), (HttpMethod.Get, "api/v1/videos/{0}/content"),
            (HttpMethod.Delete, "api/videos/{0}"), (HttpMethod.Delete, "api/v1/videos/{0}"),
        })
        {
            var theirs = await SendAsync(http, method, string.Format(path, id), Other);
            var none = await SendAsync(http, method, string.Format(path, unknown), Other);

            Assert.Equal(HttpStatusCode.NotFound, theirs.Status);
            Assert.Equal(none.Status, theirs.Status);
            Assert.Equal(Code(none.Body), Code(theirs.Body));
        }

        var mine = await SendAsync(http, HttpMethod.Get, $"api/v1/videos/{id}", Owner);
        Assert.Equal(HttpStatusCode.OK, mine.Status);
        Assert.NotEqual("cancelled", mine.Body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task IdempotencyKey_SameKeyFromAnotherCaller_StartsItsOwnJob()
    {
        await using var host = await VideoTestHost.StartAsync(settings: new() { ["API_KEYS"] = $"{Owner},{Other}" });
        using var http = host.NonRedirectingClient();

        var first = await SendAsync(http, HttpMethod.Post, "api/videos", Owner, new { prompt = "A red kite" }, idempotencyKey: "order-1");
        var second = await SendAsync(http, HttpMethod.Post, "api/videos", Other, new { prompt = "A red kite" }, idempotencyKey: "order-1");

        Assert.NotEqual(first.Body.GetProperty("id").GetString(), second.Body.GetProperty("id").GetString());
    }

    private static string? Code(JsonElement body) =>
        body.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object ? error.GetProperty("code").GetString() : body.GetProperty("code").GetString();

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(
        HttpClient http, HttpMethod method, string path, string key, object? body = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
