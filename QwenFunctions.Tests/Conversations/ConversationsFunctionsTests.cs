using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using QwenFunctions.Accounts;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Conversations;

public sealed class ConversationsFunctionsTests(QwenEmulatorFixture fx) : IClassFixture<QwenEmulatorFixture>
{
    [Fact]
    public async Task CreateChat_WithToken_ReturnsChatIdBoundToTheCreatingAccount()
    {
        var account = fx.Emulator.AddAccount();
        await using var server = await FunctionsTestServer.StartAsync(TestSettings.For(fx.Emulator, account.Token));

        var response = await server.Client.PostAsJsonAsync("api/chats", new { name = "ignored", model = "qwen3.6-max" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(body.RootElement.GetProperty("success").GetBoolean());
        var chatId = body.RootElement.GetProperty("chatId").GetString()!;
        var chat = fx.Emulator.GetChat(chatId);
        Assert.NotNull(chat);
        Assert.Equal(account.Token, chat.OwnerToken);
        Assert.Equal("qwen3.6-max", chat.Model);
        var bindings = server.Services.GetRequiredService<IAccountBindingStore>();
        Assert.Equal(QwenAccount.Fingerprint(account.Token), await bindings.FindAccountAsync(BindingKind.Conversation, chatId, default));
    }

    [Fact]
    public async Task CreateChat_EmptyBodyAndOpenAIModelName_UseTheDefaultModel()
    {
        var account = fx.Emulator.AddAccount();
        await using var server = await FunctionsTestServer.StartAsync(TestSettings.For(fx.Emulator, account.Token).With("DEFAULT_MODEL", "qwen3.5-flash"));

        var empty = await server.Client.PostAsync("api/chats", content: null);
        var aliased = await server.Client.PostAsJsonAsync("api/chats", new { model = "gpt-4o" });

        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Equal(HttpStatusCode.OK, aliased.StatusCode);
        foreach (var response in new[] { empty, aliased })
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("qwen3.5-flash", fx.Emulator.GetChat(body.RootElement.GetProperty("chatId").GetString()!)!.Model);
        }
    }

    [Fact]
    public async Task CreateChat_FirstAccountRateLimited_RotatesAndBindsTheAccountThatSucceeded()
    {
        var limited = fx.Emulator.AddAccount();
        var healthy = fx.Emulator.AddAccount();
        fx.Emulator.Faults.SetSticky(limited.Token, Fault.RateLimited(num: 5), EmulatorEndpoint.ChatsNew);
        await using var server = await FunctionsTestServer.StartAsync(TestSettings.For(fx.Emulator, limited.Token, healthy.Token));

        var first = await server.Client.PostAsync("api/chats", content: null);
        var second = await server.Client.PostAsync("api/chats", content: null);

        foreach (var response in new[] { first, second })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var chatId = body.RootElement.GetProperty("chatId").GetString()!;
            Assert.Equal(healthy.Token, fx.Emulator.GetChat(chatId)!.OwnerToken);
            var bound = await server.Services.GetRequiredService<IAccountBindingStore>().FindAccountAsync(BindingKind.Conversation, chatId, default);
            Assert.Equal(QwenAccount.Fingerprint(healthy.Token), bound);
        }
    }

    [Fact]
    public async Task CreateChat_NoTokenConfigured_Answers503ProblemSayingWhatToSet()
    {
        await using var server = await FunctionsTestServer.StartAsync(TestSettings.For(fx.Emulator));

        var response = await server.Client.PostAsync("api/chats", content: null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(503, body.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("no_accounts_configured", body.RootElement.GetProperty("code").GetString());
        Assert.Contains("QWEN_TOKENS", body.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateChat_MalformedJson_Answers400Problem()
    {
        await using var server = await FunctionsTestServer.StartAsync(TestSettings.For(fx.Emulator, fx.Emulator.AddAccount().Token));

        var response = await server.Client.PostAsync("api/chats", new StringContent("{\"model\":", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_json", body.RootElement.GetProperty("code").GetString());
    }
}
