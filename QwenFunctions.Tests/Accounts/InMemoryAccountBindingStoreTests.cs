using Microsoft.Extensions.Time.Testing;
using QwenFunctions.Accounts;
using QwenFunctions.Configuration;

namespace QwenFunctions.Tests.Accounts;

public sealed class InMemoryAccountBindingStoreTests
{
    [Fact]
    public async Task BindAsync_PastTheCeiling_DropsTheOldestAndKeepsTheNewest()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero));
        var store = new InMemoryAccountBindingStore(time);

        for (var i = 0; i < InMemoryAccountBindingStore.MaxEntries + 2048; i++)
        {
            await store.BindAsync(BindingKind.Conversation, $"chat-{i}", "acc_1", default);
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.True(store.Count <= InMemoryAccountBindingStore.MaxEntries);
        Assert.Null(await store.FindAccountAsync(BindingKind.Conversation, "chat-0", default));
        Assert.Equal("acc_1", await store.FindAccountAsync(BindingKind.Conversation, $"chat-{InMemoryAccountBindingStore.MaxEntries + 2047}", default));
    }

    [Fact]
    public async Task FindAccountAsync_OlderThanTheLifetime_IsForgotten()
    {
        var time = new FakeTimeProvider();
        var store = new InMemoryAccountBindingStore(time);
        await store.BindAsync(BindingKind.File, "file-1", "acc_1", default);

        time.Advance(InMemoryAccountBindingStore.Lifetime);

        Assert.Null(await store.FindAccountAsync(BindingKind.File, "file-1", default));
    }

    [Fact]
    public async Task BindAsync_FloodOfContinuationFingerprintsPastTheirLifetime_KeepsAnOlderChatBinding()
    {
        // Every stateless answer adds a fingerprint; once past Proxy:ContinuationLifetime they are worth nothing and
        // must not push a chat that clients still continue by its id out of the ceiling.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero));
        var proxy = AccountPoolTests.Monitor(new ProxyOptions { ContinuationLifetime = TimeSpan.FromHours(1) });
        var store = new InMemoryAccountBindingStore(time, proxy);
        await store.BindAsync(BindingKind.Conversation, "chat-old", "acc_1", default);

        for (var i = 0; i < InMemoryAccountBindingStore.MaxEntries + 2048; i++)
        {
            await store.BindAsync(BindingKind.Continuation, $"fingerprint-{i}", "{}", default);
            time.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal("acc_1", await store.FindAccountAsync(BindingKind.Conversation, "chat-old", default));
        Assert.Null(await store.FindAccountAsync(BindingKind.Continuation, "fingerprint-0", default));
        Assert.Equal("{}", await store.FindAccountAsync(BindingKind.Continuation, $"fingerprint-{InMemoryAccountBindingStore.MaxEntries + 2047}", default));
        Assert.True(store.Count <= InMemoryAccountBindingStore.MaxEntries);
    }
}
