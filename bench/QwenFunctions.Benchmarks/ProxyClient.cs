using System.Net;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;

namespace QwenFunctions.Benchmarks;

/// <summary>An OpenAI-style client of the proxy's POST /api/v1/chat/completions.</summary>
internal sealed class ProxyClient(HttpClient http)
{
    /// <summary>Non-streaming completion; returns the status and the answer text (null when the body has none).</summary>
    public async Task<(HttpStatusCode Status, string? Answer)> CompleteAsync(string prompt, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync("api/v1/chat/completions", Body(prompt, stream: false), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        using var json = JsonDocument.Parse(text);
        var answer = json.RootElement.TryGetProperty("choices", out var choices) && choices.GetArrayLength() > 0
            ? choices[0].GetProperty("message").GetProperty("content").GetString()
            : null;
        return (response.StatusCode, answer);
    }

    /// <summary>Streaming completion read to the end: first-content timestamp, every data item, and the status.</summary>
    public async Task<StreamOutcome> StreamAsync(string prompt, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/chat/completions") { Content = Body(prompt, stream: true) };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        long firstContent = 0;
        var items = new List<string>();
        await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken))
        {
            if (firstContent == 0 && HasContent(item.Data)) firstContent = System.Diagnostics.Stopwatch.GetTimestamp();
            items.Add(item.Data);
        }

        return new StreamOutcome(response.StatusCode, firstContent, items);
    }

    private static bool HasContent(string data) =>
        data.Contains("\"content\":\"", StringComparison.Ordinal) && !data.Contains("\"content\":\"\"", StringComparison.Ordinal);

    private static StringContent Body(string prompt, bool stream) =>
        new(JsonSerializer.Serialize(new { model = "qwen3.6-plus", stream, messages = new[] { new { role = "user", content = prompt } } }),
            Encoding.UTF8, "application/json");
}

internal sealed record StreamOutcome(HttpStatusCode Status, long FirstContentTimestamp, IReadOnlyList<string> Items)
{
    public bool EndedWithDone => Items.Count > 0 && Items[^1] == "[DONE]";

    public bool EndedWithErrorEvent => Items.Count > 0 && Items[^1].Contains("\"error\"", StringComparison.Ordinal) && !Items.Contains("[DONE]");
}
