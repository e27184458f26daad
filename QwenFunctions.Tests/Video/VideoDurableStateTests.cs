using System.Text;
using Microsoft.DurableTask.Client;
using QwenFunctions.Video;

namespace QwenFunctions.Tests.Video;

/// <summary>What the durable backend stores about a job must never contain an account's token or cookie.</summary>
public sealed class VideoDurableStateTests
{
    [Fact]
    public async Task Run_SucceededFailedAndRunningJobs_StoreNoTokenOrCookie()
    {
        await using var host = await VideoTestHost.StartAsync(
            accounts: 2,
            emulator: o => o.VideoRunningPolls = 3,
            settings: new() { ["Video:PollsPerExecution"] = "2" });
        var stored = new StringBuilder();

        // A job seen while running (custom status), then to its end across a ContinueAsNew.
        var succeeded = await host.StartJobAsync();
        await host.WaitForInProgressAsync(succeeded.Id);
        await AppendStoredStateAsync(host.Client, succeeded.Id, stored);
        await host.WaitForEndAsync(succeeded.Id);
        await AppendStoredStateAsync(host.Client, succeeded.Id, stored);

        // A job whose account is rejected while polling (error texts from the upstream end up in the output).
        host.Emulator.Options.VideoRunningPolls = int.MaxValue;
        var revoked = await host.StartJobAsync();
        var running = await host.WaitForInProgressAsync(revoked.Id);
        foreach (var account in host.Accounts)
        {
            host.Emulator.Revoke(account.Token);
        }

        Assert.Equal(VideoJobStatus.Failed, (await host.WaitForEndAsync(revoked.Id)).Status);
        await AppendStoredStateAsync(host.Client, revoked.Id, stored);

        var text = stored.AppendJoin('\n', host.Payloads).ToString();
        Assert.Equal(VideoJobStatus.InProgress, running.Status);
        Assert.Contains(host.Pool.Accounts, a => text.Contains(a.Id, StringComparison.Ordinal)); // the scan did see the account reference
        Assert.Contains(host.Emulator.VideoTasks.First().Id, text, StringComparison.Ordinal);
        foreach (var secret in host.Secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    /// <summary>What the client reads back from the backend: input, output, custom status and failure details.</summary>
    private static async Task AppendStoredStateAsync(DurableTaskClient client, string id, StringBuilder stored)
    {
        var metadata = await client.GetInstanceAsync(id, getInputsAndOutputs: true);
        Assert.NotNull(metadata);
        stored.AppendLine(metadata.SerializedInput).AppendLine(metadata.SerializedOutput).AppendLine(metadata.SerializedCustomStatus)
            .AppendLine(metadata.FailureDetails?.ToString());
    }
}
