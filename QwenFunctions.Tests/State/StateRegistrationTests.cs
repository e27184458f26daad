using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QwenFunctions.Accounts;
using QwenFunctions.State;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.State;

public sealed class StateRegistrationTests
{
    private const string DevStorage = "UseDevelopmentStorage=true";

    [Fact]
    public void AddQwen_NoStorageConfigured_KeepsStateInMemory()
    {
        using var services = Build([]);

        Assert.IsType<InMemoryAccountHealthStore>(services.GetRequiredService<IAccountHealthStore>());
        Assert.IsType<InMemoryAccountBindingStore>(Assert.IsType<CallerScopedBindingStore>(services.GetRequiredService<IAccountBindingStore>()).Inner);
        Assert.Equal(new StateStatus(false, "memory", null, false, null, null), services.GetRequiredService<IStateStatus>().GetStatus());
    }

    [Fact]
    public void AddQwen_AzureWebJobsStorageSet_SharesStateThroughTables()
    {
        using var services = Build(new() { ["AzureWebJobsStorage"] = DevStorage });

        Assert.IsType<SharedAccountHealthStore>(services.GetRequiredService<IAccountHealthStore>());
        Assert.IsType<SharedAccountBindingStore>(Assert.IsType<CallerScopedBindingStore>(services.GetRequiredService<IAccountBindingStore>()).Inner);
        var status = services.GetRequiredService<IStateStatus>().GetStatus();
        Assert.True(status.Shared);
        Assert.Equal("AzureWebJobsStorage", status.Source);
        Assert.False(status.BreakerOpen);
    }

    [Fact]
    public void AddQwen_StateDisabled_KeepsStateInMemoryDespiteStorage()
    {
        using var services = Build(new() { ["AzureWebJobsStorage"] = DevStorage, ["State:Enabled"] = "false" });

        Assert.False(services.GetRequiredService<IStateStatus>().GetStatus().Shared);
        Assert.IsType<InMemoryAccountHealthStore>(services.GetRequiredService<IAccountHealthStore>());
    }

    [Fact]
    public void AddQwen_StateEnabledWithoutStorage_FailsValidationWithAHint()
    {
        using var services = Build(new() { ["State:Enabled"] = "true" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StateOptions>>().Value);
        Assert.Contains("AzureWebJobsStorage", error.Message);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage:accountName", "mystorage", "AzureWebJobsStorage (identity)")]
    [InlineData("AzureWebJobsStorage:tableServiceUri", "https://mystorage.table.core.windows.net", "AzureWebJobsStorage (identity)")]
    [InlineData("State:ServiceUri", "https://other.table.core.windows.net", "State:ServiceUri (identity)")]
    [InlineData("State:ConnectionString", DevStorage, "State:ConnectionString")]
    public void Resolve_ConnectionSetting_PicksThatSource(string key, string value, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [key] = value,
            ["AzureWebJobsStorage:credential"] = "managedidentity",
        }).Build();

        Assert.Equal(expected, StateConnection.Resolve(configuration)?.Description);
    }

    [Fact]
    public void Resolve_StateConnectionAndHostStorage_PrefersTheStateSetting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = DevStorage,
            ["State:ConnectionString"] = DevStorage,
        }).Build();

        Assert.Equal("State:ConnectionString", StateConnection.Resolve(configuration)?.Description);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings) => TestServices.Build(settings);
}
