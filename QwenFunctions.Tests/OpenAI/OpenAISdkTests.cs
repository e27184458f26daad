using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Chat;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.OpenAI;

/// <summary>The official OpenAI .NET SDK against the app over real HTTP.</summary>
public sealed class OpenAISdkTests
{
    [Fact]
    public async Task CompleteChat_NonStreaming_ReturnsUpstreamAnswerAndMappedUsage()
    {
        await using var app = await EmulatedApp.StartAsync();
        var client = Client(app, "gpt-4o");

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("What is 2+2?")]);

        Assert.Equal("Echo: What is 2+2?", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal("gpt-4o", completion.Model);
        Assert.StartsWith("chatcmpl-", completion.Id);
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.True(completion.Usage.OutputTokenCount > 0);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task CompleteChatStreaming_WithUsage_StreamsDeltasThenUsage()
    {
        await using var app = await EmulatedApp.StartAsync();
        var client = Client(app, "qwen3.6-plus");
        var text = new System.Text.StringBuilder();
        var updates = new List<StreamingChatCompletionUpdate>();

        await foreach (var update in client.CompleteChatStreamingAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Hello there")],
            new ChatCompletionOptions()))
        {
            updates.Add(update);
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        Assert.EndsWith("Hello there", text.ToString());
        Assert.StartsWith("Echo: <system-instructions>", text.ToString());
        Assert.Equal(ChatMessageRole.Assistant, updates[0].Role);
        Assert.Contains(updates, u => u.FinishReason == ChatFinishReason.Stop);
        Assert.Single(updates.Select(u => u.CompletionId).Distinct());
        Assert.NotNull(updates[^1].Usage); // the SDK asks for include_usage itself
        Assert.True(updates[^1].Usage.OutputTokenCount > 0);
    }

    [Fact]
    public async Task CompleteChat_PoolExhausted_SdkRaisesRateLimitError()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 1);
        app.Emulator.Faults.SetSticky(app.Accounts[0].Token, Emulator.Fault.RateLimited(num: 3));

        // The .NET SDK (System.ClientModel) would sleep for the hours-long Retry-After; it does not read x-should-retry.
        var client = Client(app, "qwen3.6-plus", retries: 0);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(429, error.Status);
        Assert.Contains("limit", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static ChatClient Client(EmulatedApp app, string model, int? retries = null)
    {
        var options = new OpenAIClientOptions { Endpoint = new Uri(app.Server.BaseAddress, "api/v1") };
        if (retries is { } max)
        {
            options.RetryPolicy = new ClientRetryPolicy(max);
        }

        return new ChatClient(model, new ApiKeyCredential("unused"), options);
    }
}
