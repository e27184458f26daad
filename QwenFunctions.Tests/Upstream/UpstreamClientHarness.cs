using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using QwenFunctions.Accounts;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Upstream;

namespace QwenFunctions.Tests.Upstream;

/// <summary>The app's real upstream clients (built by AddQwen) pointed at an emulator.</summary>
internal sealed class UpstreamClientHarness : IDisposable
{
    private readonly ServiceProvider _services;

    public UpstreamClientHarness(QwenEmulator emulator, params (string Key, string? Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["QWEN_BASE_URL"] = emulator.BaseAddress.ToString(),
            ["Qwen:Timeouts:FirstByte"] = "00:00:05",
            ["Qwen:Timeouts:Idle"] = "00:00:05",
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        _services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddQwen(configuration).BuildServiceProvider();
    }

    public QwenChatClient Chat => _services.GetRequiredService<QwenChatClient>();

    public QwenApiClient Api => _services.GetRequiredService<QwenApiClient>();

    public static QwenAccount Account(string token, string? cookies = null) => new(token, cookies, 0);

    public async Task<List<QwenStreamEvent>> AskAsync(QwenAccount account, string prompt, bool thinking = false, string? chatId = null, string? parentId = null)
    {
        chatId ??= await Api.CreateChatAsync(account, "qwen3.6-plus", "t2t", default);
        var events = new List<QwenStreamEvent>();
        await foreach (var ev in Chat.StreamAsync(account, new QwenCompletionRequest(chatId, "qwen3.6-plus", prompt) { Thinking = thinking, ParentId = parentId }, default))
        {
            events.Add(ev);
        }

        return events;
    }

    public void Dispose() => _services.Dispose();
}
