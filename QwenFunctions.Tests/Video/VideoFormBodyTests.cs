using System.Net;
using System.Text;
using System.Text.Json;

namespace QwenFunctions.Tests.Video;

/// <summary>Malformed and oversized form bodies on both video create routes, over HTTP: a 4xx, and nothing upstream.</summary>
public sealed class VideoFormBodyTests
{
    public static TheoryData<string> Routes => new() { "api/videos", "api/v1/videos" };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Create_MultipartWithoutBoundary_Answers400(string route)
    {
        await using var host = await VideoTestHost.StartAsync();
        var content = new ByteArrayContent("prompt=A red kite"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data");

        var (status, code) = await PostAsync(host, route, content);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_form", code);
        Assert.DoesNotContain(host.Emulator.Requests, r => r.Method == "POST");
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Create_TruncatedMultipart_Answers400(string route)
    {
        await using var host = await VideoTestHost.StartAsync();
        const string body = "--b0\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nA red kite over green hi";
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b0");

        var (status, code) = await PostAsync(host, route, content);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_form", code);
        Assert.DoesNotContain(host.Emulator.Requests, r => r.Method == "POST");
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Create_TooManyFormFields_Answers400(string route)
    {
        await using var host = await VideoTestHost.StartAsync();
        var fields = new[] { KeyValuePair.Create("prompt", "A red kite") }
            .Concat(Enumerable.Range(0, 100).Select(i => KeyValuePair.Create($"extra{i}", "x")));
        var multipart = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            multipart.Add(new StringContent(value), name);
        }

        var (status, code) = await PostAsync(host, route, multipart);
        var (urlStatus, urlCode) = await PostAsync(host, route, new FormUrlEncodedContent(fields));

        Assert.Equal((HttpStatusCode.BadRequest, "too_many_form_fields"), (status, code));
        Assert.Equal((HttpStatusCode.BadRequest, "too_many_form_fields"), (urlStatus, urlCode));
        Assert.DoesNotContain(host.Emulator.Requests, r => r.Method == "POST");
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Create_FormOverTheBodyCap_Answers413(string route)
    {
        await using var host = await VideoTestHost.StartAsync(settings: new() { ["Proxy:MaxJsonBodyBytes"] = "4096" });
        var multipart = new MultipartFormDataContent { { new StringContent(new string('k', 8192)), "prompt" } };
        var chunked = new MultipartFormDataContent { { new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(new string('k', 8192)))), "prompt" } };
        chunked.Headers.ContentLength = null;

        var (status, code) = await PostAsync(host, route, multipart);
        var (chunkedStatus, _) = await PostAsync(host, route, chunked, chunkedTransfer: true);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("request_too_large", code);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunkedStatus);
        Assert.DoesNotContain(host.Emulator.Requests, r => r.Method == "POST");
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Create_WellFormedMultipart_StartsTheJob(string route)
    {
        await using var host = await VideoTestHost.StartAsync();
        var multipart = new MultipartFormDataContent
        {
            { new StringContent("A red kite"), "prompt" },
            { new ByteArrayContent([1, 2, 3]), "input_reference", "ref.png" },
        };

        var (status, _) = await PostAsync(host, route, multipart);

        Assert.Equal(HttpStatusCode.Accepted, status);
    }

    private static async Task<(HttpStatusCode Status, string? Code)> PostAsync(VideoTestHost host, string route, HttpContent content, bool chunkedTransfer = false)
    {
        using var http = host.NonRedirectingClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = content };
        request.Headers.TransferEncodingChunked = chunkedTransfer ? true : null;
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.False(string.IsNullOrWhiteSpace(text), "error responses always have a body");
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        var code = root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object ? error.GetProperty("code").GetString()
            : root.TryGetProperty("code", out var problemCode) ? problemCode.GetString() : null;
        return (response.StatusCode, code);
    }
}
