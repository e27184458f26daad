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

    [Fact]
    public async Task Run_OnRefreshTokenAccountsAcrossSeveralTokenLifetimes_SucceedsAndStoresNoAccessOrRefreshToken()
    {
        // Access tokens live 1.5 s and every refresh rotates the refresh token, so the polls of one job run on several
        // minted tokens: none of them, nor any refresh token, may reach an activity's input or result, the custom
        // status, the output, the logs or the status answer.
        await using var host = await VideoTestHost.StartAsync(
            accounts: 0,
            refreshAccounts: 2,
            emulator: o =>
            {
                o.AccessTokenLifetime = TimeSpan.FromSeconds(1.5);
                o.RotateRefreshTokens = true;
                o.VideoRunningPolls = 25;
            },
            settings: new() { ["Video:PollInterval"] = "00:00:00.200", ["Video:PollsPerExecution"] = "5", ["Qwen:RefreshMargin"] = "00:00:00.500" });
        var stored = new StringBuilder();

        var job = await host.StartJobAsync();
        await host.WaitForInProgressAsync(job.Id);
        await AppendStoredStateAsync(host.Client, job.Id, stored);
        var ended = await host.WaitForEndAsync(job.Id);
        await AppendStoredStateAsync(host.Client, job.Id, stored);
        stored.AppendLine(await host.Server.Client.GetStringAsync("api/status"));
        foreach (var record in host.Server.Logs.GetSnapshot())
        {
            stored.AppendLine(record.Message).AppendLine(record.Exception?.ToString()).AppendJoin(',', record.StructuredState ?? []);
        }

        Assert.Equal(VideoJobStatus.Completed, ended.Status);
        Assert.True(host.Emulator.Refreshes.Count >= 3, $"only {host.Emulator.Refreshes.Count} refreshes: the job did not outlive a token");
        Assert.All(host.Emulator.Refreshes, r => Assert.True(r.Accepted, "a refresh sent a retired refresh token"));
        var text = stored.AppendJoin('\n', host.Payloads).ToString();
        Assert.Contains(host.Pool.Accounts, a => text.Contains(a.Id, StringComparison.Ordinal));
        var secrets = host.Secrets.ToList();
        Assert.True(secrets.Count >= 5, "the scan must cover the minted and rotated tokens");
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
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
