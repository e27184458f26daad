using System.Net;
using System.Text.Json;
using Anthropic;
using Anthropic.Models.Models;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Anthropic;

/// <summary>GET /api/v1/models answers Anthropic's list shape to Anthropic clients and OpenAI's to everyone else.</summary>
public sealed class AnthropicModelsTests
{
    [Fact]
    public async Task ModelsList_AnthropicSdk_PagesThroughEveryModel()
    {
        await using var app = await EmulatedApp.StartAsync();
        var client = AnthropicSdkClient.For(app);

        var first = await client.Models.List(new ModelListParams { Limit = 2 });
        var all = new List<ModelInfo>();
        await foreach (var model in first.Paginate())
        {
            all.Add(model);
        }

        Assert.Equal(2, first.Items.Count);
        Assert.Equal(["qwen3.6-plus", "qwen3.6-plus-thinking", "qwen3.6-max", "qwen3.6-max-thinking", "qwen3.5-flash"], all.Select(m => m.ID));
        Assert.All(all, m => Assert.Equal(m.ID, m.DisplayName));
        Assert.All(all, m => Assert.True(m.CreatedAt.Year > 2000));
    }

    [Fact]
    public async Task ModelsRetrieve_AnthropicSdk_AnswersModelInfo()
    {
        await using var app = await EmulatedApp.StartAsync();

        var model = await AnthropicSdkClient.For(app).Models.Retrieve("qwen3.6-max");

        Assert.Equal("qwen3.6-max", model.ID);
    }

    [Fact]
    public async Task ModelsRetrieve_UnknownModel_Is404InAnthropicShapeWithRequestId()
    {
        await using var app = await EmulatedApp.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/models/no-such-model");
        request.Headers.Add("anthropic-version", "2023-06-01");

        using var response = await app.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("error", body.GetProperty("type").GetString());
        Assert.Equal("not_found_error", body.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(response.Headers.GetValues("request-id").Single(), body.GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task ModelsList_WithoutAnthropicVersion_StaysOpenAIShaped()
    {
        await using var app = await EmulatedApp.StartAsync();

        var body = JsonDocument.Parse(await app.Http.GetStringAsync("api/v1/models")).RootElement;

        Assert.Equal("list", body.GetProperty("object").GetString());
        Assert.False(body.TryGetProperty("has_more", out _));
    }
}
