using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QwenFunctions.Configuration;
using QwenFunctions.Files;
using QwenFunctions.Images;
using QwenFunctions.State;
using QwenFunctions.Tests.Hosting;
using QwenFunctions.Video;

namespace QwenFunctions.Tests.Configuration;

/// <summary>local.settings.sample.json is what a newcomer copies: every value in it must bind and pass validation.</summary>
public sealed class SampleSettingsTests
{
    [Fact]
    public void SampleSettings_EveryOptionsClass_BindsAndValidates()
    {
        using var services = TestServices.Build(SampleValues());

        var qwen = services.GetRequiredService<IOptions<QwenOptions>>().Value;
        var proxy = services.GetRequiredService<IOptions<ProxyOptions>>().Value;
        var state = services.GetRequiredService<IOptions<StateOptions>>().Value;
        _ = services.GetRequiredService<IOptions<FilesOptions>>().Value;
        _ = services.GetRequiredService<IOptions<ImagesOptions>>().Value;
        var video = services.GetRequiredService<IOptions<VideoOptions>>().Value;
        var responses = services.GetRequiredService<IOptions<QwenFunctions.Responses.ResponsesOptions>>().Value;

        Assert.Equal("https://chat.qwen.ai", qwen.BaseUrl);
        Assert.Equal(TimeSpan.FromSeconds(30), qwen.Cooldowns.WafBackoff);
        Assert.Equal(ReasoningOutput.ReasoningContent, proxy.ReasoningOutput);
        Assert.Null(state.ClientLimits.RequestsPerMinute); // an empty value means "no limit"
        Assert.Equal(TimeSpan.FromSeconds(5), video.PollInterval);
        Assert.Equal(TimeSpan.FromDays(30), responses.StoreLifetime);
    }

    [Fact]
    public void SampleSettings_BrowserProfile_MatchesTheCodeDefaults()
    {
        using var services = TestServices.Build(SampleValues());

        var fromSample = services.GetRequiredService<IOptions<QwenOptions>>().Value.Browser;
        var defaults = new BrowserProfile();

        Assert.Equal(JsonSerializer.Serialize(defaults), JsonSerializer.Serialize(fromSample));
    }

    private static Dictionary<string, string?> SampleValues()
    {
        var path = Path.Combine(RepositoryRoot.Path, "local.settings.sample.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("Values").EnumerateObject()
            .Where(p => p.Name != "AzureWebJobsStorage") // no storage account in a unit test: state stays in memory
            .ToDictionary(p => p.Name.Replace("__", ":"), p => (string?)p.Value.GetString());
    }
}
