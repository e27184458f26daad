using System.Net;
using System.Text.Json;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;
using QwenFunctions.Tests.Media;

namespace QwenFunctions.Tests.Chat;

/// <summary>
/// A chat request's attachments are fetched once, whatever is retried, and are capped per request (parts and bytes):
/// past a cap the client gets its surface's error shape and nothing reaches the upstream.
/// </summary>
public sealed class ChatAttachmentLimitTests
{
    private const string ImagePath = "/cdn/output/elsewhere/picture.png";

    private static string DataUri(int bytes) => "data:image/png;base64," + Convert.ToBase64String([.. MediaServices.Png, .. new byte[Math.Max(0, bytes - MediaServices.Png.Length)]]);

    private static Task<EmulatedApp> StartAsync(int accounts, Dictionary<string, string?>? extra = null) =>
        EmulatedApp.StartAsync(accounts, s =>
        {
            s["Files:AllowPrivateNetworkDownloads"] = "true";
            foreach (var (key, value) in extra ?? [])
            {
                s[key] = value;
            }
        });

    private static object OpenAIImageMessage(params string[] urls) => new
    {
        messages = new[]
        {
            new { role = "user", content = urls.Select(u => (object)new { type = "image_url", image_url = new { url = u } }).Prepend(new { type = "text", text = "What is this?" }).ToArray() },
        },
    };

    private static int Downloads(EmulatedApp app) => app.Emulator.Requests.Count(r => r.Method == "GET" && r.Path == ImagePath);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Chat_FirstAccountRateLimited_ImageUrlIsFetchedOnceAndUploadedOnEachAccount(bool stream)
    {
        await using var app = await StartAsync(accounts: 2);
        app.Emulator.Faults.Enqueue(Fault.RateLimited(), endpoint: EmulatorEndpoint.TextCompletion);
        var url = new Uri(app.Emulator.BaseAddress, ImagePath).ToString();

        using var response = await app.PostAsync("api/v1/chat/completions", new
        {
            stream,
            messages = new[] { new { role = "user", content = new object[] { new { type = "text", text = "What is this?" }, new { type = "image_url", image_url = new { url } } } } },
        });
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("\"error\"", body);
        Assert.Equal(2, app.Completions().Select(r => r.Token).Distinct().Count());
        Assert.Equal(1, Downloads(app));
        // Uploads are per account (file ids belong to one account upstream): the same bytes went to both.
        Assert.Equal(app.Accounts.Select(a => a.Token).Order(), app.Emulator.Uploads.Select(u => u.OwnerToken).Order());
    }

    [Fact]
    public async Task Chat_WholeAnswerCutAndAskedAgain_DoesNotFetchTheImageAgain()
    {
        await using var app = await StartAsync(accounts: 1);
        app.Emulator.Faults.Enqueue(Fault.CutAfter(1), endpoint: EmulatorEndpoint.TextCompletion);
        var url = new Uri(app.Emulator.BaseAddress, ImagePath).ToString();

        var (response, _) = await app.PostJsonAsync("api/v1/chat/completions", OpenAIImageMessage(url));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, app.Completions().Count);
        Assert.Equal(1, Downloads(app));
    }

    public static TheoryData<string, string> Surfaces => new()
    {
        { "api/v1/chat/completions", "openai" },
        { "api/chat", "native" },
        { "api/v1/messages", "anthropic" },
    };

    private static object Body(string surface, IEnumerable<string> dataUris) => surface switch
    {
        "openai" => OpenAIImageMessage([.. dataUris]),
        "native" => new { message = dataUris.Select(u => (object)new { type = "image", image = u }).Prepend(new { type = "text", text = "What is this?" }).ToArray() },
        _ => new
        {
            model = "qwen3.6-plus",
            max_tokens = 100,
            messages = new[]
            {
                new
                {
                    role = "user",
                    content = dataUris.Select(u => (object)new { type = "image", source = new { type = "base64", media_type = "image/png", data = u[(u.IndexOf(',') + 1)..] } })
                        .Prepend(new { type = "text", text = "What is this?" }).ToArray(),
                },
            },
        },
    };

    [Theory]
    [MemberData(nameof(Surfaces))]
    public async Task Chat_MoreAttachmentPartsThanTheCap_Is400InTheSurfacesShapeAndNothingGoesUpstream(string path, string surface)
    {
        await using var app = await StartAsync(accounts: 2);

        var (response, body) = await app.PostJsonAsync(path, Body(surface, Enumerable.Repeat(DataUri(100), 17)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertShape(surface, body, "too_many_attachments", "invalid_request_error");
        Assert.Empty(app.Emulator.Requests);
    }

    [Theory]
    [MemberData(nameof(Surfaces))]
    public async Task Chat_AttachmentsOverTheByteCap_Is413InTheSurfacesShapeAndNothingGoesUpstream(string path, string surface)
    {
        await using var app = await StartAsync(accounts: 2, new() { ["Files:MaxAttachmentBytesPerRequest"] = "1000" });

        // Each image is within the per-file cap; together they are not.
        var (response, body) = await app.PostJsonAsync(path, Body(surface, [DataUri(600), DataUri(600)]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        AssertShape(surface, body, "attachments_too_large", "request_too_large");
        Assert.Empty(app.Emulator.Requests);
    }

    [Fact]
    public async Task Chat_RemoteImagesOverTheByteCap_Is413WithoutUploadingOrChatting()
    {
        await using var app = await StartAsync(accounts: 1, new() { ["Files:MaxAttachmentBytesPerRequest"] = "100" });
        var url = new Uri(app.Emulator.BaseAddress, ImagePath).ToString();

        var (response, body) = await app.PostJsonAsync("api/v1/chat/completions", OpenAIImageMessage(url, url + "?again"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("attachments_too_large", body.GetProperty("error").GetProperty("code").GetString());
        Assert.All(app.Emulator.Requests, r => Assert.StartsWith("/cdn/", r.Path));
    }

    [Fact]
    public async Task Chat_AttachmentPartsAtTheCap_AreAllSent()
    {
        await using var app = await StartAsync(accounts: 1, new() { ["Files:MaxAttachmentsPerRequest"] = "3" });

        var (response, _) = await app.PostJsonAsync("api/v1/chat/completions", OpenAIImageMessage(DataUri(100), DataUri(101), DataUri(102)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, app.Emulator.Chats.Single().UserMessages.Single().Files.Count);
    }

    private static void AssertShape(string surface, JsonElement body, string code, string anthropicType)
    {
        switch (surface)
        {
            case "openai":
                Assert.Equal(code, body.GetProperty("error").GetProperty("code").GetString());
                Assert.Equal("invalid_request_error", body.GetProperty("error").GetProperty("type").GetString());
                Assert.Equal("messages", body.GetProperty("error").GetProperty("param").GetString());
                break;
            case "native":
                Assert.Equal(code, body.GetProperty("code").GetString());
                Assert.Equal("messages", body.GetProperty("param").GetString());
                Assert.True(body.TryGetProperty("requestId", out _));
                break;
            default:
                Assert.Equal("error", body.GetProperty("type").GetString());
                Assert.Equal(anthropicType, body.GetProperty("error").GetProperty("type").GetString());
                break;
        }
    }
}
