using Microsoft.Extensions.Time.Testing;
using QwenFunctions.Accounts;

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
}
