using Microsoft.Extensions.Time.Testing;
using QwenFunctions.Accounts;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Upstream;

namespace QwenFunctions.Tests.State;

/// <summary>Two app instances against the chat.qwen.ai emulator, sharing one Azurite table.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class EmulatedSharedStateTests(AzuriteFixture fixture) : IAsyncLifetime
{
    private const string Model = "qwen3.6-plus";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    private readonly string _prefix = StateTestHost.UniquePrefix();
    private QwenEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await QwenEmulator.StartAsync();

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [SkippableFact]
    public async Task ChatAsync_UpstreamRateLimitsAccountOnInstanceA_InstanceBNeverSendsToThatAccount()
    {
        var azurite = fixture.Require();
        var limited = _emulator.AddAccount();
        var healthy = _emulator.AddAccount();
        _emulator.Faults.SetSticky(limited.Token, Fault.RateLimited(num: 5));
        var settings = new Dictionary<string, string?>
        {
            ["QWEN_BASE_URL"] = _emulator.BaseAddress.ToString(),
            ["Qwen:Tokens"] = $"{limited.Token},{healthy.Token}",
        };
        await using var a = StateTestHost.Create(azurite.ConnectionString, _prefix, _time, settings);
        await using var b = StateTestHost.Create(azurite.ConnectionString, _prefix, _time, settings);

        Assert.Equal(QwenAccount.Fingerprint(healthy.Token), (await ChatAsync(a)).Id);
        Assert.Contains(_emulator.Requests, r => r.Token == limited.Token);
        _emulator.ClearRequests();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(QwenAccount.Fingerprint(healthy.Token), (await ChatAsync(b)).Id);
        }

        Assert.DoesNotContain(_emulator.Requests, r => r.Token == limited.Token);
    }

    [SkippableFact]
    public async Task ChatAsync_ConversationStartedOnInstanceA_ContinuesOnInstanceBWithTheSameAccount()
    {
        var azurite = fixture.Require();
        var first = _emulator.AddAccount();
        var second = _emulator.AddAccount();
        var settings = new Dictionary<string, string?>
        {
            ["QWEN_BASE_URL"] = _emulator.BaseAddress.ToString(),
            ["Qwen:Tokens"] = $"{first.Token},{second.Token}",
        };
        await using var a = StateTestHost.Create(azurite.ConnectionString, _prefix, _time, settings);
        await using var b = StateTestHost.Create(azurite.ConnectionString, _prefix, _time, settings);

        var (chatId, owner) = await a.Runner.RunAsync(QwenFeature.Chat, null, (account, ct) =>
            a.Get<QwenApiClient>().CreateChatAsync(account, Model, "t2t", ct), CancellationToken.None);
        await a.Get<IAccountBindingStore>().BindAsync(BindingKind.Conversation, chatId, owner.Id, CancellationToken.None);
        await a.FlushBindingsAsync();

        var bound = await b.Get<IAccountBindingStore>().FindAccountAsync(BindingKind.Conversation, chatId, CancellationToken.None);
        var continued = await ChatAsync(b, chatId, bound);

        Assert.Equal(owner.Id, continued.Id);
        Assert.Equal(owner.Token, Assert.Single(_emulator.Requests, r => r.Path.Contains("completions", StringComparison.Ordinal)).Token);
    }

    private static async Task<QwenAccount> ChatAsync(StateTestHost app, string? chatId = null, string? boundAccountId = null)
    {
        var (_, account) = await app.Runner.RunAsync(QwenFeature.Chat, boundAccountId, async (account, ct) =>
        {
            var id = chatId ?? await app.Get<QwenApiClient>().CreateChatAsync(account, Model, "t2t", ct);
            var answer = "";
            await foreach (var ev in app.Get<QwenChatClient>().StreamAsync(account, new QwenCompletionRequest(id, Model, "Hello"), ct))
            {
                answer += ev is QwenAnswerDelta delta ? delta.Text : "";
            }

            return answer;
        }, CancellationToken.None);
        return account;
    }
}
