namespace QwenFunctions.Tests.State;

/// <summary>One Azurite shared by the state tests of a collection; each test isolates itself with its own table prefix.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public AzuriteProcess? Azurite { get; private set; }

    /// <summary>The running Azurite; fails in CI and skips locally when Azurite is not installed.</summary>
    public AzuriteProcess Require() => Azurite ?? throw Missing();

    public static string RequireExecutable() => AzuriteProcess.FindExecutable() ?? throw Missing();

    public async Task InitializeAsync()
    {
        if (AzuriteProcess.FindExecutable() is { } executable)
        {
            Azurite = await AzuriteProcess.StartNewAsync(executable);
        }
    }

    public async Task DisposeAsync()
    {
        if (Azurite is not null)
        {
            await Azurite.DisposeAsync();
        }
    }

    private static Exception Missing()
    {
        const string message = "Azurite is not available: install Node.js (npx), or run `npm install -g azurite@3.37.0`, or set AZURITE_PATH.";
        return string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            ? new InvalidOperationException(message)
            : new SkipException(message);
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
