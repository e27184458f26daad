using System.ClientModel;
using OpenAI;
using OpenAI.Models;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Models;

/// <summary>The official OpenAI .NET SDK against our models routes, with an API key, at both base URLs the seed supports.</summary>
public sealed class OpenAISdkModelsTests(QwenEmulatorFixture fx) : IClassFixture<QwenEmulatorFixture>
{
    private const string ApiKey = "sk-sdk-test-key";

    [Theory]
    [InlineData("api/v1")]
    [InlineData("api")]
    public async Task GetModels_OpenAISdk_ListsModelsAndThinkingVariants(string basePath)
    {
        await using var server = await StartAsync();
        var client = Client(server, basePath, ApiKey);

        OpenAIModelCollection models = await client.GetModelsAsync();

        Assert.Contains(models, m => m.Id == "qwen3.6-plus" && m.OwnedBy == "qwen");
        Assert.Contains(models, m => m.Id == "qwen3.6-plus-thinking");
        Assert.DoesNotContain(models, m => m.Id == "qwen3.5-flash-thinking");
    }

    [Fact]
    public async Task GetModel_OpenAISdkUnknownModel_RaisesNotFound()
    {
        await using var server = await StartAsync();
        var client = Client(server, "api/v1", ApiKey);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.GetModelAsync("no-such-model"));

        Assert.Equal(404, error.Status);
        Assert.Contains("model_not_found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetModels_OpenAISdkWrongKey_RaisesUnauthorized()
    {
        await using var server = await StartAsync();
        var client = Client(server, "api/v1", "sk-wrong");

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.GetModelsAsync());

        Assert.Equal(401, error.Status);
    }

    private Task<FunctionsTestServer> StartAsync() =>
        FunctionsTestServer.StartAsync(TestSettings.For(fx.Emulator, fx.Emulator.AddAccount().Token).With("API_KEYS", ApiKey));

    private static OpenAIModelClient Client(FunctionsTestServer server, string basePath, string key) =>
        new(new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, basePath) });
}
