using System.ClientModel;
using System.Net;
using System.Text.Json;
using Anthropic;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using OpenAI.Responses;
using QwenFunctions.Tests.Anthropic;
using QwenFunctions.Tests.Hosting;
using QwenFunctions.Tests.Responses;

namespace QwenFunctions.Tests.Chat.Continuation;

#pragma warning disable OPENAI001 // the SDK's Responses client is marked experimental

/// <summary>
/// A history that does not extend an answer of ours and folds into more than Proxy:MaxUpstreamMessageBytes is a 400
/// in each surface's own error shape, naming the limit, before anything goes upstream (chat completions: see
/// <see cref="OpenAIContinuationTests"/> and ChatSizeCheckTests).
/// </summary>
public sealed class HistoryTooLargeTests
{
    private const string Cap = "4096";
    private static readonly string Long = new('x', 5000);

    [Fact]
    public async Task AnthropicMessages_HistoryOverTheCap_IsAnInvalidRequestErrorNamingTheLimit()
    {
        await using var app = await StartAsync();
        var request = new MessageCreateParams { Model = "claude-sonnet-4-5", MaxTokens = 1024, Messages = [new UserMessageParam(Long)] };

        var error = await Assert.ThrowsAsync<AnthropicBadRequestException>(() => AnthropicSdkClient.For(app).Messages.Create(request));
        var streamed = await Assert.ThrowsAsync<AnthropicBadRequestException>(async () =>
        {
            await foreach (var _ in AnthropicSdkClient.For(app).Messages.CreateStreaming(request))
            {
            }
        });

        foreach (var body in new[] { error.ResponseBody, streamed.ResponseBody })
        {
            var root = JsonDocument.Parse(body).RootElement;
            Assert.Equal("error", root.GetProperty("type").GetString());
            Assert.Equal("invalid_request_error", root.GetProperty("error").GetProperty("type").GetString());
            Assert.Contains($"{Cap}-byte limit", root.GetProperty("error").GetProperty("message").GetString());
        }

        Assert.Empty(app.Completions());
    }

    [Fact]
    public async Task Responses_InputOverTheCap_IsAnOpenAIErrorOnInputNamingTheLimit()
    {
        await using var app = await StartAsync();

        var error = await Assert.ThrowsAsync<ClientResultException>(() => ResponsesSdkTests.Client(app).CreateResponseAsync(
            new CreateResponseOptions("qwen3.6-plus", [ResponseItem.CreateUserMessageItem(Long)]) { StoredOutputEnabled = false }));
        var (response, body) = await app.PostJsonAsync("api/v1/responses", new { model = "qwen3.6-plus", input = Long, store = false, stream = true });

        Assert.Equal(400, error.Status);
        Assert.Contains($"{Cap}-byte limit", error.Message);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var details = body.GetProperty("error");
        Assert.Equal(("invalid_request_error", "context_length_exceeded", "input"),
            (details.GetProperty("type").GetString(), details.GetProperty("code").GetString(), details.GetProperty("param").GetString()));
        Assert.Empty(app.Completions());
    }

    [Fact]
    public async Task NativeChat_MessagesOverTheCap_IsAProblemDetailsNamingTheLimit()
    {
        await using var app = await StartAsync();

        var (response, body) = await app.PostJsonAsync("api/chat", new
        {
            messages = new object[] { new { role = "user", content = Long }, new { role = "assistant", content = "Sure." }, new { role = "user", content = "Go on." } },
            stream = true,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("context_length_exceeded", body.GetProperty("code").GetString());
        Assert.Equal("messages", body.GetProperty("param").GetString());
        Assert.Contains($"{Cap}-byte limit", body.GetProperty("detail").GetString());
        Assert.Empty(app.Completions());
    }

    private static Task<EmulatedApp> StartAsync() => EmulatedApp.StartAsync(settings: s => s["Proxy:MaxUpstreamMessageBytes"] = Cap);
}
