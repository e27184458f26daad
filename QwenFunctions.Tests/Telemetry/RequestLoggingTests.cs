using System.Net;
using Microsoft.Extensions.Logging;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Telemetry;

/// <summary>A successful request leaves no log record at Information; failures, rotations and cooldowns still do.</summary>
public sealed class RequestLoggingTests
{
    [Fact]
    public async Task ChatCompletions_SuccessfulStreamAndWholeAnswer_WriteNoRecordAtInformationOrAbove()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 1);
        await CompleteAsync(app, stream: false); // the first request also loads the model list, logged once, not per request
        app.Server.Logs.Clear();

        await CompleteAsync(app, stream: false);
        await CompleteAsync(app, stream: true);

        Assert.Empty(app.Server.Logs.GetSnapshot().Where(r => r.Level >= LogLevel.Information).Select(r => $"{r.Category}: {r.Message}"));
    }

    [Fact]
    public async Task ChatCompletions_AccountRateLimited_LogsTheFailedAttemptAndTheCooldown()
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 2);
        app.Emulator.Faults.SetSticky(app.Accounts[0].Token, Fault.RateLimited(), EmulatorEndpoint.TextCompletion);

        await CompleteAsync(app, stream: false);
        await CompleteAsync(app, stream: false);

        var warnings = app.Server.Logs.GetSnapshot().Where(r => r.Level >= LogLevel.Warning).Select(r => r.Message).ToList();
        Assert.Contains(warnings, m => m.Contains("failed with RateLimited", StringComparison.Ordinal));
        Assert.Contains(warnings, m => m.Contains("cooling down", StringComparison.Ordinal));
    }

    private static async Task CompleteAsync(EmulatedApp app, bool stream)
    {
        using var response = await app.PostAsync("api/v1/chat/completions", new { model = "qwen3.6-plus", stream, messages = new[] { new { role = "user", content = "hi" } } });
        await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
