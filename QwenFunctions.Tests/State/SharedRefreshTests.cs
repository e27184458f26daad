using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using QwenFunctions.Accounts;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.State;

/// <summary>
/// Rotated refresh tokens in the shared table (issue 10): every instance uses the newest one, one refresh per account
/// runs at a time across instances, a restart keeps the rotated tokens, and none of it is readable in the table.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SharedRefreshTests(AzuriteFixture fixture)
{
    private static readonly string Hello = JsonSerializer.Serialize(new { messages = new[] { new { role = "user", content = "Hello" } } });
    private readonly string _prefix = StateTestHost.UniquePrefix();
    private readonly string _key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [SkippableFact]
    public async Task Chats_TwoInstancesShortLivedRotatingTokens_EachRefreshAtMostOncePerLifetimeNeverTwoAtOnceAndNoSecretLeaks()
    {
        var azurite = fixture.Require();
        // Real time here: an instance waiting for another's lease polls on its clock, which a fake clock would freeze.
        var lifetime = TimeSpan.FromSeconds(4);
        await using var emulator = await QwenEmulator.StartAsync(new QwenEmulatorOptions
        {
            AccessTokenLifetime = lifetime,
            RotateRefreshTokens = true,
            RefreshDelay = TimeSpan.FromMilliseconds(300), // widens the window in which two refreshes could overlap
        });
        var accounts = new[] { emulator.AddRefreshAccount(), emulator.AddRefreshAccount() };
        await using var a = await StartAsync(emulator, azurite.ConnectionString, accounts, margin: "00:00:01");
        await using var b = await StartAsync(emulator, azurite.ConnectionString, accounts, margin: "00:00:01");
        var transcript = new ConcurrentQueue<string>();

        var started = DateTimeOffset.UtcNow;
        var run = TimeSpan.FromSeconds(11);
        var failures = 0;
        var chats = 0;
        await Task.WhenAll(new[] { a, a, b, b }.Select(async server =>
        {
            while (DateTimeOffset.UtcNow - started < run)
            {
                var (status, text) = await ChatAsync(server);
                transcript.Enqueue(text);
                Interlocked.Increment(ref chats);
                if (status != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        var elapsed = DateTimeOffset.UtcNow - started;
        foreach (var server in new[] { a, b })
        {
            transcript.Enqueue(await server.Client.GetStringAsync("api/status"));
        }

        Assert.Equal(0, failures);
        Assert.True(chats > 20, $"only {chats} chats ran");
        Assert.All(emulator.Refreshes, r => Assert.True(r.Accepted, "a refresh sent a retired or unknown refresh token"));
        foreach (var account in accounts)
        {
            // Never two refreshes of one account at once, across both instances.
            Assert.Equal(1, account.MaxConcurrentRefreshes);
            // Each instance mints once, then again every lifetime - margin (3 s): bounded by the lifetime, not by the ~hundreds of chats.
            var bound = 2 * ((int)Math.Ceiling(elapsed / (lifetime - TimeSpan.FromSeconds(1))) + 1);
            Assert.InRange(emulator.Refreshes.Count(r => r.Account == account), 4, bound);
        }

        var secrets = emulator.IssuedSecrets;
        var haystack = string.Join("\n", transcript) + Logs(a) + Logs(b) + await TableRowsAsync(azurite.ConnectionString);
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, haystack, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Chats_RestartOnTheSameTable_UseTheRotatedTokensWhileTheOriginalsAreRetired()
    {
        var azurite = fixture.Require();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        await using var emulator = await QwenEmulator.StartAsync(new QwenEmulatorOptions
        {
            TimeProvider = time, AccessTokenLifetime = TimeSpan.FromMinutes(10), RotateRefreshTokens = true,
        });
        var accounts = new[] { emulator.AddRefreshAccount(), emulator.AddRefreshAccount() };

        await using (var first = await StartAsync(emulator, azurite.ConnectionString, accounts, time: time))
        {
            for (var minute = 0; minute < 25; minute++)
            {
                Assert.Equal(HttpStatusCode.OK, (await ChatAsync(first)).Status);
                Assert.Equal(HttpStatusCode.OK, (await ChatAsync(first)).Status);
                time.Advance(TimeSpan.FromMinutes(1));
            }
        }

        // The upstream has retired what the settings still say: the configured refresh tokens no longer work.
        foreach (var account in accounts)
        {
            Assert.NotEqual(account.FirstRefreshToken, account.RefreshToken);
        }

        var before = emulator.Refreshes.Count;
        time.Advance(TimeSpan.FromMinutes(30)); // every access token of the first host has expired
        await using var second = await StartAsync(emulator, azurite.ConnectionString, accounts, time: time);
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await ChatAsync(second)).Status);
        }

        var afterRestart = emulator.Refreshes.Skip(before).ToArray();
        Assert.Equal(2, afterRestart.Length);
        Assert.All(afterRestart, r => Assert.True(r.Accepted));
        Assert.DoesNotContain(afterRestart, r => accounts.Any(a => r.SentToken == a.FirstRefreshToken));
        var rows = await TableRowsAsync(azurite.ConnectionString);
        Assert.All(accounts, account => Assert.Contains(QwenAccount.Fingerprint(account.FirstRefreshToken!), rows, StringComparison.Ordinal));
        Assert.All(emulator.IssuedSecrets, secret => Assert.DoesNotContain(secret, rows, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Chat_RestartWithAnotherEncryptionKey_CannotReadTheRotatedTokenAndSaysSo()
    {
        var azurite = fixture.Require();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        await using var emulator = await QwenEmulator.StartAsync(new QwenEmulatorOptions { TimeProvider = time, RotateRefreshTokens = true });
        var accounts = new[] { emulator.AddRefreshAccount() };
        await using (var first = await StartAsync(emulator, azurite.ConnectionString, accounts, time: time))
        {
            Assert.Equal(HttpStatusCode.OK, (await ChatAsync(first)).Status);
        }

        var otherKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var second = await StartAsync(emulator, azurite.ConnectionString, accounts, time: time, key: otherKey);
        var (status, _) = await ChatAsync(second);

        // Only the configured token is left, and the upstream retired it: the account is marked, the log says why.
        Assert.NotEqual(HttpStatusCode.OK, status);
        Assert.Contains(second.Logs.GetSnapshot(), r => r.Id.Id == 4213);
        var pool = second.Services.GetRequiredService<AccountPool>();
        Assert.Equal(AccountHealth.RefreshFailedReason, (await pool.GetHealthAsync(pool.Accounts[0], default)).InvalidReason);
    }

    private Task<FunctionsTestServer> StartAsync(
        QwenEmulator emulator, string connectionString, EmulatorAccount[] accounts, string? margin = null, FakeTimeProvider? time = null, string? key = null)
    {
        var settings = new Dictionary<string, string?>(TestSettings.For(emulator))
        {
            ["QWEN_REFRESH_TOKENS"] = string.Join(",", accounts.Select(a => a.FirstRefreshToken)),
            ["QWEN_AUTH_BASE_URL"] = emulator.AuthBaseAddress.ToString(),
            ["QWEN_TOKEN_ENCRYPTION_KEY"] = key ?? _key,
            ["Qwen:DefaultModel"] = "qwen3.6-plus",
            ["Qwen:RefreshMargin"] = margin,
            ["State:ConnectionString"] = connectionString,
            ["State:TableNamePrefix"] = _prefix,
            // Azurite on a loaded machine can take longer than the production bound of one storage call.
            ["State:OperationTimeout"] = "00:00:10",
        };
        return FunctionsTestServer.StartAsync(settings, o => o.ConfigureServices = s =>
        {
            if (time is not null)
            {
                s.AddSingleton<TimeProvider>(time);
            }
        });
    }

    private static async Task<(HttpStatusCode Status, string Text)> ChatAsync(FunctionsTestServer server)
    {
        using var response = await server.Client.PostAsync("api/v1/chat/completions", new StringContent(Hello, Encoding.UTF8, "application/json"));
        var headers = string.Join("\n", response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(",", h.Value)}"));
        return (response.StatusCode, headers + "\n" + await response.Content.ReadAsStringAsync());
    }

    private static string Logs(FunctionsTestServer server) =>
        string.Join("\n", server.Logs.GetSnapshot().Select(r => r.Message + " " + r.Exception + " " + string.Join(",", r.StructuredState ?? [])));

    /// <summary>Every property of every row of this test's tables, as text.</summary>
    private async Task<string> TableRowsAsync(string connectionString)
    {
        var service = new TableServiceClient(connectionString);
        var text = new StringBuilder();
        await foreach (var table in service.QueryAsync())
        {
            if (!table.Name.StartsWith(_prefix, StringComparison.Ordinal))
            {
                continue;
            }

            await foreach (var row in service.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                text.AppendLine(string.Join(";", row.Select(p => $"{p.Key}={p.Value}")));
            }
        }

        return text.ToString();
    }
}
