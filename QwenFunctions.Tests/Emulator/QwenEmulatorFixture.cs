namespace QwenFunctions.Tests.Emulator;

/// <summary>
/// Shares one emulator across a test class: <c>public sealed class MyTests(QwenEmulatorFixture fx) : IClassFixture&lt;QwenEmulatorFixture&gt;</c>.
/// Tests in a class run one after another, but give each test its own account (<c>fx.Emulator.AddAccount()</c>) so faults
/// and chats never leak between tests. A test that changes <see cref="QwenEmulator.Options"/> should start its own emulator.
/// </summary>
public sealed class QwenEmulatorFixture : IAsyncLifetime
{
    /// <summary>The running emulator (default options).</summary>
    public QwenEmulator Emulator { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Emulator = await QwenEmulator.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync() => await Emulator.DisposeAsync();
}
