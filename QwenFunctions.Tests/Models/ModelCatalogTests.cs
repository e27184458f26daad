using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using QwenFunctions.Models;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Models;

public sealed class ModelCatalogTests(QwenEmulatorFixture fx) : IClassFixture<QwenEmulatorFixture>
{
    [Fact]
    public async Task Resolve_NoModel_UsesTheFirstLiveModel()
    {
        var catalog = Catalog(TestSettings.For(fx.Emulator));

        var resolved = await catalog.ResolveAsync(null, default);

        Assert.Equal(new ResolvedModel("qwen3.6-plus", "qwen3.6-plus", false), resolved);
    }

    [Fact]
    public async Task Resolve_NoModelWithDefaultConfigured_UsesTheDefault()
    {
        var catalog = Catalog(TestSettings.For(fx.Emulator).With("DEFAULT_MODEL", "qwen3.6-max"));

        Assert.Equal("qwen3.6-max", (await catalog.ResolveAsync("", default)).UpstreamId);
        Assert.Equal("qwen3.6-max", await catalog.GetDefaultModelAsync(default));
    }

    [Theory]
    [InlineData("qwen3.6-max", "qwen3.6-max", false)]
    [InlineData("Qwen3.6-Max", "qwen3.6-max", false)]
    [InlineData("qwen3.6-max-thinking", "qwen3.6-max", true)]
    [InlineData("qwen3.5-flash-thinking", "qwen3.5-flash", false)] // the upstream says it cannot think
    [InlineData("gpt-4o", "qwen3.6-plus", false)]
    [InlineData("gpt-4o-mini-thinking", "qwen3.6-plus", true)]
    public async Task Resolve_KnownNames_MapToUpstreamIds(string requested, string upstreamId, bool thinking)
    {
        var catalog = Catalog(TestSettings.For(fx.Emulator));

        var resolved = await catalog.ResolveAsync(requested, default);

        Assert.Equal(new ResolvedModel(upstreamId, requested, thinking), resolved);
    }

    [Fact]
    public async Task Resolve_ConfiguredAlias_WinsOverBuiltInMapping()
    {
        var catalog = Catalog(TestSettings.For(fx.Emulator).With("Proxy:ModelAliases:gpt-4o", "qwen3.6-max").With("Proxy:ModelAliases:house", "qwen3.5-flash"));

        Assert.Equal("qwen3.6-max", (await catalog.ResolveAsync("gpt-4o", default)).UpstreamId);
        Assert.Equal("qwen3.5-flash", (await catalog.ResolveAsync("HOUSE", default)).UpstreamId);
    }

    [Fact]
    public async Task Resolve_AliasListSetting_ResolvesNamesThatCannotBeSettingKeys()
    {
        var catalog = Catalog(TestSettings.For(fx.Emulator)
            .With("Proxy:ModelAliases:house", "qwen3.6-max")
            .With("Proxy:ModelAliasList", "gpt-4o-mini=qwen3.5-flash, house = qwen3.5-flash"));

        Assert.Equal("qwen3.5-flash", (await catalog.ResolveAsync("gpt-4o-mini", default)).UpstreamId);
        Assert.Equal("qwen3.5-flash", (await catalog.ResolveAsync("house", default)).UpstreamId);
    }

    [Fact]
    public async Task Resolve_UnknownName_FallsBackToTheDefaultAndSaysSo()
    {
        var catalog = Catalog(TestSettings.For(fx.Emulator));

        var resolved = await catalog.ResolveAsync("claude-3-opus", default);

        Assert.Equal("qwen3.6-plus", resolved.UpstreamId);
        Assert.Equal("claude-3-opus", resolved.RequestedName);
        Assert.True(resolved.IsFallback);
    }

    [Fact]
    public async Task Resolve_SeedAliasWhoseTargetIsGoneUpstream_FallsBackToTheDefault()
    {
        var catalog = Catalog(TestSettings.For(fx.Emulator));

        var resolved = await catalog.ResolveAsync("qwen-max", default); // → qwen3-max, which the live list no longer has

        Assert.Equal("qwen3.6-plus", resolved.UpstreamId);
        Assert.True(resolved.IsFallback);
    }

    [Fact]
    public async Task Resolve_UpstreamUnreachable_UsesSeedIdsAliasesAndQwen3MaxAsDefault()
    {
        var catalog = Catalog(new Dictionary<string, string?> { ["QWEN_BASE_URL"] = "http://127.0.0.1:1/" });

        Assert.Equal("qwen3-max", (await catalog.ResolveAsync(null, default)).UpstreamId);
        Assert.Equal("qwen3-coder-plus", (await catalog.ResolveAsync("qwen3-coder", default)).UpstreamId);
        Assert.Equal("qwen-plus-2025-09-11", (await catalog.ResolveAsync("Qwen3-Next-80B-A3B", default)).UpstreamId);
        Assert.Equal("qwen3-max", (await catalog.ResolveAsync("gpt-4o", default)).UpstreamId);
    }

    private static ModelCatalog Catalog(Dictionary<string, string?> settings)
    {
        var services = TestServices.Build(settings, s => s.ConfigureAll<HttpStandardResilienceOptions>(o => o.Retry.Delay = TimeSpan.Zero));
        return services.GetRequiredService<ModelCatalog>();
    }
}
