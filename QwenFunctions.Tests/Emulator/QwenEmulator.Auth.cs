using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace QwenFunctions.Tests.Emulator;

// The auth host of docs/upstream.md §3.3 and §10.1, served under /auth/ (AuthBaseAddress), so the app's
// QWEN_AUTH_BASE_URL is exercised apart from QWEN_BASE_URL:
//
//   var account = emu.AddRefreshAccount();                 // account.RefreshToken is what a user pastes
//   point the app at it:  QWEN_AUTH_BASE_URL = emu.AuthBaseAddress    (http://127.0.0.1:<port>/auth/)
//
// GET /auth/api/v2/auths/refresh with Cookie: refresh_token=<rt> answers
//   {"success":true,"data":{"access_token":<JWT, exp = now + Options.AccessTokenLifetime>,"refresh_token":<rt'>}}
//   + Set-Cookie: refresh_token=<rt'>. With Options.RotateRefreshTokens the answer carries a new refresh token and the
// old one is retired: sending it again is refused (HTTP 401, Unauthorized envelope), as is an unknown one and every
// refresh of an account after FailRefresh. Minted access tokens work until their exp; after it the chat API answers
// the 2026 body {"code":"unauthorized"} in HTTP 200 (§10.1). Every refresh is recorded in Refreshes.
public sealed partial class QwenEmulator
{
    private readonly object _auth = new();
    private readonly ConcurrentDictionary<string, EmulatorAccount> _refreshTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EmulatorAccount> _retiredRefreshTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (EmulatorAccount Account, DateTimeOffset ExpiresAt)> _accessTokens = new(StringComparer.Ordinal);
    private readonly List<RecordedRefresh> _refreshes = [];

    /// <summary>Root of the auth host, e.g. <c>http://127.0.0.1:5123/auth/</c>.</summary>
    public Uri AuthBaseAddress => new(BaseAddress, "auth/");

    /// <summary>Every refresh call, in arrival order (snapshot).</summary>
    public IReadOnlyList<RecordedRefresh> Refreshes { get { lock (_refreshes) { return _refreshes.ToArray(); } } }

    /// <summary>Every access and refresh token this emulator has issued or been given (for secret scans).</summary>
    public IReadOnlyCollection<string> IssuedSecrets =>
        _accessTokens.Keys.Concat(_refreshTokens.Keys).Concat(_retiredRefreshTokens.Keys).Concat(_accounts.Keys).Distinct().ToArray();

    /// <summary>An account that signs in by refresh token only (no access token until the app mints one).</summary>
    public EmulatorAccount AddRefreshAccount(string? refreshToken = null)
    {
        refreshToken ??= "rt-" + Guid.NewGuid().ToString("N");
        var account = new EmulatorAccount("session-" + Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString()) { RefreshToken = refreshToken, FirstRefreshToken = refreshToken };
        _refreshTokens[refreshToken] = account;
        return account;
    }

    /// <summary>Every later refresh of <paramref name="account"/> is refused (the session was signed out elsewhere).</summary>
    public void FailRefresh(EmulatorAccount account) => account.RefreshFails = true;

    /// <summary>Mints an access token for <paramref name="account"/> as the auth host would (also usable to seed a configured one).</summary>
    public string MintAccessToken(EmulatorAccount account)
    {
        var now = Options.TimeProvider.GetUtcNow();
        var expires = now + Options.AccessTokenLifetime;
        var token = Jwt(account.UserId, now, expires);
        _accessTokens[token] = (account, expires);
        return token;
    }

    /// <summary>The account of a static token, or of a minted access token that has not expired; <paramref name="expired"/> says which failed.</summary>
    internal EmulatorAccount? FindAccount(string token, out bool expired)
    {
        expired = false;
        if (_accounts.TryGetValue(token, out var account))
        {
            return account;
        }

        if (_accessTokens.TryGetValue(token, out var minted))
        {
            expired = Options.TimeProvider.GetUtcNow() >= minted.ExpiresAt;
            return expired ? null : minted.Account;
        }

        return null;
    }

    private async Task RefreshAsync(EmulatorRequest r)
    {
        if (await r.ApplyFaultAsync(EmulatorEndpoint.Refresh)) return;
        var headers = r.Http.Request.Headers;
        if (Options.StrictHeaders && (!headers.ContainsKey("version") || !headers.ContainsKey("source") || !headers.ContainsKey("x-request-origin")))
        {
            await r.WriteErrorAsync("Bad_Request", "Missing required headers.", 400, asHttpStatus: true);
            return;
        }

        var sent = r.Http.Request.Cookies.TryGetValue("refresh_token", out var cookie) ? cookie : null;
        var family = sent is null ? null : _refreshTokens.GetValueOrDefault(sent) ?? _retiredRefreshTokens.GetValueOrDefault(sent);
        var started = r.Now;
        if (family is not null)
        {
            var inFlight = Interlocked.Increment(ref family.RefreshesInFlightCount);
            InterlockedMax(ref family.MaxConcurrentRefreshesCount, inFlight);
        }

        try
        {
            if (Options.RefreshDelay > TimeSpan.Zero)
                await Task.Delay(Options.RefreshDelay, Options.TimeProvider, r.Aborted);

            string? accessToken = null;
            string? refreshToken = null;
            lock (_auth)
            {
                if (sent is not null && _refreshTokens.TryGetValue(sent, out var account) && !account.RefreshFails)
                {
                    accessToken = MintAccessToken(account);
                    refreshToken = sent;
                    if (Options.RotateRefreshTokens)
                    {
                        refreshToken = "rt-" + Guid.NewGuid().ToString("N");
                        _refreshTokens.TryRemove(sent, out _);
                        _retiredRefreshTokens[sent] = account;
                        _refreshTokens[refreshToken] = account;
                        account.RefreshToken = refreshToken;
                    }
                }
            }

            lock (_refreshes) { _refreshes.Add(new RecordedRefresh(family, sent, accessToken is not null, started, r.Now)); }
            if (accessToken is null)
            {
                await r.WriteErrorAsync("Unauthorized", "The refresh token is invalid or has expired. Please sign in again.", 401, asHttpStatus: true);
                return;
            }

            r.Http.Response.Headers.Append("Set-Cookie", $"refresh_token={refreshToken}; Domain=.qwen.ai; Path=/; Max-Age=2592000; HttpOnly; Secure; SameSite=None");
            foreach (var extra in family!.AuthSetCookies) r.Http.Response.Headers.Append("Set-Cookie", extra);
            await r.WriteSuccessAsync(new JsonObject { ["access_token"] = accessToken, ["refresh_token"] = refreshToken });
        }
        finally
        {
            if (family is not null) Interlocked.Decrement(ref family.RefreshesInFlightCount);
        }
    }

    private static string Jwt(string userId, DateTimeOffset issuedAt, DateTimeOffset expiresAt)
    {
        static string Part(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var payload = $$"""{"id":"{{userId}}","type":"access_token","iat":{{issuedAt.ToUnixTimeSeconds()}},"exp":{{expiresAt.ToUnixTimeSeconds()}},"jti":"{{Guid.NewGuid():N}}"}""";
        return Part("""{"alg":"HS256","kid":"legacy","typ":"JWT"}""") + "." + Part(payload) + "." + Part(Guid.NewGuid().ToString("N"));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }
}

/// <summary>One call of the refresh endpoint.</summary>
/// <param name="Account">The account the sent token belongs (or belonged, when retired) to; null for an unknown token.</param>
/// <param name="SentToken">The refresh token the call carried.</param>
/// <param name="Accepted">False when the token was unknown, retired or the account's refreshes fail.</param>
public sealed record RecordedRefresh(EmulatorAccount? Account, string? SentToken, bool Accepted, DateTimeOffset StartedAt, DateTimeOffset EndedAt);
