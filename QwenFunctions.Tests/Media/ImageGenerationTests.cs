using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using QwenFunctions.Accounts;
using QwenFunctions.Http;
using QwenFunctions.Images;
using QwenFunctions.Tests.Emulator;

namespace QwenFunctions.Tests.Media;

public sealed class ImageGenerationTests
{
    [Fact]
    public async Task GenerateAsync_StreamWithKeepAlivesAndSeveralImages_ReturnsEveryUrlAndForwardsKeepAlives()
    {
        await using var emu = await QwenEmulator.StartAsync(new QwenEmulatorOptions { ImageCount = 3, ImageKeepAliveEvents = 2 });
        var account = emu.AddAccount();
        await using var services = MediaServices.Create(emu, [account.Token]);
        var keepAlives = 0;

        var result = await services.GetRequiredService<ImageGenerationService>().GenerateAsync(
            new ImageGenerationRequest("a red kite") { Size = "1792x1024" }, _ => { keepAlives++; return ValueTask.CompletedTask; }, CancellationToken.None);

        var answer = emu.Chats.Single().Messages.Single(m => m.Role == "assistant");
        Assert.Equal(answer.ImageUrls, result.Images.Select(i => i.Url));
        Assert.Equal(3, result.Images.Count);
        Assert.Equal(2, keepAlives);
        Assert.Equal("16:9", result.Size);
        Assert.Equal(answer.Id, result.ParentId);
        Assert.Equal(emu.Chats.Single().Id, result.ChatId);
        Assert.Contains("\"size\":\"16:9\"", emu.Requests.Single(r => r.Path == "/api/v2/chat/completions").Body);
    }

    [Fact]
    public async Task GenerateAsync_NAboveImagesPerStream_DrawsAgainInTheSameChat()
    {
        await using var emu = await QwenEmulator.StartAsync(new QwenEmulatorOptions { ImageCount = 1 });
        var account = emu.AddAccount();
        await using var services = MediaServices.Create(emu, [account.Token]);

        var result = await services.GetRequiredService<ImageGenerationService>().GenerateAsync(new ImageGenerationRequest("a lighthouse") { Size = "16:9", N = 2 }, null, CancellationToken.None);

        Assert.Equal(2, result.Images.Select(i => i.Url).Distinct().Count());
        Assert.Single(emu.Chats);
        Assert.Equal(2, emu.Requests.Count(r => r.Path == "/api/v2/chat/completions"));
    }

    [Fact]
    public async Task GenerateAsync_StreamWithoutUrl_FallsBackToChatDetails()
    {
        await using var emu = await QwenEmulator.StartAsync(new QwenEmulatorOptions { ImageCount = 2, ImageUrlsInStream = false });
        var account = emu.AddAccount();
        await using var services = MediaServices.Create(emu, [account.Token]);

        var result = await services.GetRequiredService<ImageGenerationService>().GenerateAsync(new ImageGenerationRequest("a fox"), null, CancellationToken.None);

        var answer = emu.Chats.Single().Messages.Single(m => m.Role == "assistant");
        Assert.Equal(answer.ImageUrls, result.Images.Select(i => i.Url));
        Assert.Contains(emu.Requests, r => r.Method == "GET" && r.Path == $"/api/v2/chats/{result.ChatId}");
    }

    [Fact]
    public async Task GenerateAsync_RateLimited_CoolsDownOnlyTheImageFeatureAndRotates()
    {
        await using var emu = await QwenEmulator.StartAsync();
        var limited = emu.AddAccount();
        var healthy = emu.AddAccount();
        await using var services = MediaServices.Create(emu, [limited.Token, healthy.Token]);
        emu.Faults.SetSticky(limited.Token, Fault.RateLimited(num: 5), EmulatorEndpoint.ImageCompletion);
        var pool = services.GetRequiredService<AccountPool>();

        for (var i = 0; i < 2; i++)
        {
            var result = await services.GetRequiredService<ImageGenerationService>().GenerateAsync(new ImageGenerationRequest("a boat"), null, CancellationToken.None);
            Assert.Equal(QwenAccount.Fingerprint(healthy.Token), result.AccountId);
        }

        var health = await pool.GetHealthAsync(pool.Find(QwenAccount.Fingerprint(limited.Token))!, CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        Assert.True(health.IsCoolingDown(QwenFeature.Image, now));
        Assert.False(health.IsCoolingDown(QwenFeature.Chat, now));
    }

    [Fact]
    public async Task GenerateAsync_ContinuingABoundChat_RunsOnTheOwningAccount()
    {
        await using var emu = await QwenEmulator.StartAsync();
        var first = emu.AddAccount();
        var second = emu.AddAccount();
        await using var services = MediaServices.Create(emu, [first.Token, second.Token]);
        var images = services.GetRequiredService<ImageGenerationService>();
        var opening = await images.GenerateAsync(new ImageGenerationRequest("a cat"), null, CancellationToken.None);

        var next = await images.GenerateAsync(new ImageGenerationRequest("the same cat, sleeping") { ChatId = opening.ChatId, ParentId = opening.ParentId }, null, CancellationToken.None);

        Assert.Equal(opening.AccountId, next.AccountId);
        Assert.Equal(opening.ChatId, next.ChatId);
        Assert.Single(emu.Chats);
    }

    [Theory]
    [InlineData("""{"prompt":"x","n":0}""", "n")]
    [InlineData("""{"prompt":"x","n":11}""", "n")]
    [InlineData("""{"prompt":"x","size":"huge"}""", "size")]
    [InlineData("""{"prompt":"x","response_format":"png"}""", "response_format")]
    [InlineData("""{"n":1}""", "prompt")]
    public async Task GenerateOpenAIAsync_InvalidParameter_Returns400NamingIt(string body, string param)
    {
        await using var emu = await QwenEmulator.StartAsync();
        var account = emu.AddAccount();
        await using var services = MediaServices.Create(emu, [account.Token]);
        var http = MediaServices.JsonContext(services, body);

        var ex = await Assert.ThrowsAsync<ApiException>(() => ActivatorUtilities.CreateInstance<ImageFunctions>(services).GenerateOpenAIAsync(http.Request, CancellationToken.None));

        Assert.Equal(HttpStatusCode.BadRequest, ex.Status);
        Assert.Equal(param, ex.Param);
        Assert.DoesNotContain(emu.Requests, r => r.Token == account.Token);
    }

    [Fact]
    public async Task GenerateOpenAIAsync_B64JsonWithN2_ReturnsExactlyTwoDownloadedImages()
    {
        await using var emu = await QwenEmulator.StartAsync(new QwenEmulatorOptions { ImageCount = 3 });
        var account = emu.AddAccount();
        await using var services = MediaServices.Create(emu, [account.Token]);
        var http = MediaServices.JsonContext(services, """{"prompt":"a kite","model":"dall-e-3","n":2,"size":"1024x1024","response_format":"b64_json"}""");

        var result = await ActivatorUtilities.CreateInstance<ImageFunctions>(services).GenerateOpenAIAsync(http.Request, CancellationToken.None);
        var body = JsonDocument.Parse(await MediaServices.ExecuteAsync(result, http)).RootElement;

        var data = body.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(2, data.Count);
        Assert.All(data, d => Assert.Equal(MediaServices.Png, Convert.FromBase64String(d.GetProperty("b64_json").GetString()!)));
        Assert.Contains("\"model\":\"qwen3.6-plus\"", emu.Requests.First(r => r.Path == "/api/v2/chat/completions").Body);
    }

    [Fact]
    public async Task GenerateOpenAIAsync_B64JsonAboveDownloadCap_Returns413()
    {
        await using var emu = await QwenEmulator.StartAsync();
        var account = emu.AddAccount();
        await using var services = MediaServices.Create(emu, [account.Token], new Dictionary<string, string?> { ["Files:MaxDownloadBytes"] = "10" });
        var http = MediaServices.JsonContext(services, """{"prompt":"a kite","response_format":"b64_json"}""");

        var ex = await Assert.ThrowsAsync<ApiException>(() => ActivatorUtilities.CreateInstance<ImageFunctions>(services).GenerateOpenAIAsync(http.Request, CancellationToken.None));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, ex.Status);
    }

    [Fact]
    public async Task GenerateNativeAsync_Stream_SendsKeepAliveCommentsThenTheResult()
    {
        await using var emu = await QwenEmulator.StartAsync(new QwenEmulatorOptions { ImageCount = 2, ImageKeepAliveEvents = 3 });
        var account = emu.AddAccount();
        await using var services = MediaServices.Create(emu, [account.Token]);
        var http = MediaServices.JsonContext(services, """{"prompt":"a kite","size":"9:16","stream":true}""");

        await ActivatorUtilities.CreateInstance<ImageFunctions>(services).GenerateNativeAsync(http.Request, CancellationToken.None);
        var text = MediaServices.BodyText(http);

        Assert.Equal("text/event-stream", Microsoft.Net.Http.Headers.MediaTypeHeaderValue.Parse(http.Response.ContentType).MediaType.Value);
        Assert.True(text.Split(": keep-alive\n\n").Length - 1 >= 3, text);
        var data = text.Split("\n\n").Where(l => l.StartsWith("data: {", StringComparison.Ordinal)).Single();
        var result = JsonDocument.Parse(data["data: ".Length..]).RootElement;
        Assert.Equal(2, result.GetProperty("data").GetArrayLength());
        Assert.Equal("9:16", result.GetProperty("size").GetString());
        Assert.EndsWith("data: [DONE]\n\n", text);
    }

    [Theory]
    [InlineData("native")]
    [InlineData("openai")]
    public async Task Generate_NoStreamClientDisconnects_EndsWhileTheUpstreamIsStillDrawing(string surface)
    {
        await using var emu = await QwenEmulator.StartAsync(new QwenEmulatorOptions { ImageCount = 2 });
        var account = emu.AddAccount();
        await using var services = MediaServices.Create(emu, [account.Token]);
        var gate = emu.PauseAfterFirstAnswerDelta();
        var http = MediaServices.JsonContext(services, """{"prompt":"a kite"}""");
        using var client = new CancellationTokenSource();
        http.RequestAborted = client.Token;
        var functions = ActivatorUtilities.CreateInstance<ImageFunctions>(services);

        var call = surface == "native"
            ? functions.GenerateNativeAsync(http.Request, CancellationToken.None)
            : functions.GenerateOpenAIAsync(http.Request, CancellationToken.None);
        await gate.FirstDeltaSent.WaitAsync(TimeSpan.FromSeconds(10));
        await client.CancelAsync();

        // The upstream stream stays held at the gate: only the disconnect can end the call (a timeout means it was ignored).
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(emu.Chats.Single().Messages.Single(m => m.Role == "assistant").Done);
        Assert.Single(emu.Requests, r => r.Path == "/api/v2/chat/completions");
    }

    [Fact]
    public async Task GenerateNativeAsync_NoStream_ListsEveryImageWithChatIds()
    {
        await using var emu = await QwenEmulator.StartAsync(new QwenEmulatorOptions { ImageCount = 2 });
        var account = emu.AddAccount();
        await using var services = MediaServices.Create(emu, [account.Token]);
        var http = MediaServices.JsonContext(services, """{"prompt":"a kite","size":"4:3"}""");

        var result = await ActivatorUtilities.CreateInstance<ImageFunctions>(services).GenerateNativeAsync(http.Request, CancellationToken.None);
        var body = JsonDocument.Parse(await MediaServices.ExecuteAsync(result, http)).RootElement;

        Assert.Equal(2, body.GetProperty("data").GetArrayLength());
        Assert.Equal(emu.Chats.Single().Id, body.GetProperty("chatId").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("parentId").GetString()));
    }
}

public sealed class SeedImageChatAnswerTests
{
    [Fact]
    public void From_TwoImages_PutsOneUrlPerLineWithChatIds()
    {
        var result = new ImageGenerationResult([new("https://cdn/a.png", 1, 1), new("https://cdn/b.png", null, null)], "chat-1", "resp-9", "qwen3.6-plus", "1:1", "acc_x");

        var answer = SeedImageChatAnswer.From(result, DateTimeOffset.FromUnixTimeSeconds(1790000000));

        Assert.Equal("https://cdn/a.png\nhttps://cdn/b.png", (string?)answer["choices"]![0]!["message"]!["content"]);
        Assert.Equal("chat-1", (string?)answer["chatId"]);
        Assert.Equal("resp-9", (string?)answer["parentId"]);
        Assert.Equal("chat.completion", (string?)answer["object"]);
    }
}

public sealed class SeedImageChatTests
{
    [Fact]
    public async Task SeedChatAsync_T2i_AnswersUrlsOnePerLineAndContinuesOnTheOwningAccount()
    {
        await using var emu = await QwenEmulator.StartAsync(new QwenEmulatorOptions { ImageCount = 2 });
        var first = emu.AddAccount();
        var second = emu.AddAccount();
        await using var services = MediaServices.Create(emu, [first.Token, second.Token]);
        var api = services.GetRequiredService<ImageApi>();

        var answer = await api.SeedChatAsync("a kite", null, "1024x1024", null, null, null, CancellationToken.None);
        var again = await api.SeedChatAsync("another kite", null, null, (string?)answer["chatId"], (string?)answer["parentId"], null, CancellationToken.None);

        var chat = emu.Chats.Single();
        Assert.Equal(string.Join("\n", chat.AssistantMessages[0].ImageUrls), (string?)answer["choices"]![0]!["message"]!["content"]);
        Assert.Equal(chat.Id, (string?)again["chatId"]);
        Assert.Equal(chat.AssistantMessages[1].Id, (string?)again["parentId"]);
        Assert.Equal(chat.AssistantMessages[0].Id, chat.UserMessages[1].ParentId);
    }

    [Fact]
    public async Task SeedChatAsync_UnknownChatWithSeveralAccounts_Returns404()
    {
        await using var emu = await QwenEmulator.StartAsync();
        await using var services = MediaServices.Create(emu, [emu.AddAccount().Token, emu.AddAccount().Token]);

        var ex = await Assert.ThrowsAsync<ApiException>(() => services.GetRequiredService<ImageApi>()
            .SeedChatAsync("a kite", null, null, "not-a-chat", null, null, CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, ex.Status);
    }
}
