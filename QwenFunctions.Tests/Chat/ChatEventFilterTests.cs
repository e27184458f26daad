using System.ClientModel;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;
using QwenFunctions.Chat;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Chat;

/// <summary>
/// The pipeline's extension point for the tool-call parser and stop sequences: a registered filter's events reach the
/// client through the surface's format, and a filter that ends the answer early ends it without waiting for the upstream.
/// </summary>
public sealed class ChatEventFilterTests
{
    /// <summary>Turns the first text delta into a tool call and ends the answer there.</summary>
    private sealed class FirstDeltaBecomesToolCall : IChatEventFilter
    {
        public async IAsyncEnumerable<ChatEvent> FilterAsync(ChatTurn turn, IAsyncEnumerable<ChatEvent> events, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var ev in events.WithCancellation(cancellationToken))
            {
                if (ev is not ChatTextDelta)
                {
                    yield return ev;
                    continue;
                }

                yield return new ChatToolCallStarted(0, "call_x", "lookup");
                yield return new ChatToolCallArgumentsDelta(0, "{\"q\":");
                yield return new ChatToolCallArgumentsDelta(0, "\"kites\"}");
                yield return new ChatToolCallCompleted(0);
                yield return new ChatFinished(QwenFunctions.Chat.ChatFinishReason.ToolCalls);
            }
        }
    }

    [Fact]
    public async Task Stream_FilterEndsEarlyWithAToolCall_SdkGetsTheCallWhileTheUpstreamIsStillHeld()
    {
        await using var app = await EmulatedApp.StartAsync(services: s => s.AddSingleton<IChatEventFilter, FirstDeltaBecomesToolCall>());
        var gate = app.Emulator.PauseAfterFirstAnswerDelta();
        var client = new ChatClient("qwen3.6-plus", new ApiKeyCredential("sk-test"), new OpenAIClientOptions { Endpoint = new Uri(app.Server.BaseAddress, "api/v1") });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var updates = new List<StreamingChatCompletionUpdate>();

        try
        {
            await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("find kites")], cancellationToken: cts.Token))
            {
                updates.Add(update);
            }
        }
        finally
        {
            gate.Release();
        }

        var call = updates.SelectMany(u => u.ToolCallUpdates).ToList();
        Assert.Equal("call_x", call[0].ToolCallId);
        Assert.Equal("lookup", call[0].FunctionName);
        Assert.Equal("{\"q\":\"kites\"}", string.Concat(call.Select(c => c.FunctionArgumentsUpdate?.ToString())));
        Assert.Equal(global::OpenAI.Chat.ChatFinishReason.ToolCalls, updates.Single(u => u.FinishReason is not null).FinishReason);
    }

    [Fact]
    public async Task Whole_FilterEndsEarlyWithAToolCall_CompletionCarriesTheCall()
    {
        await using var app = await EmulatedApp.StartAsync(services: s => s.AddSingleton<IChatEventFilter, FirstDeltaBecomesToolCall>());
        var client = new ChatClient("qwen3.6-plus", new ApiKeyCredential("sk-test"), new OpenAIClientOptions { Endpoint = new Uri(app.Server.BaseAddress, "api/v1") });

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("find kites")]);

        Assert.Equal(global::OpenAI.Chat.ChatFinishReason.ToolCalls, completion.FinishReason);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("lookup", call.FunctionName);
        Assert.Equal("{\"q\":\"kites\"}", call.FunctionArguments.ToString());
    }
}
