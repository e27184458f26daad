using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using QwenFunctions.Accounts;
using QwenFunctions.Configuration;

namespace QwenFunctions.Upstream;

/// <summary>
/// Makes every upstream request look like the chat.qwen.ai web app: credentials (Bearer and the token cookie,
/// plus the account's own cookies) and the browser header set whose absence trips the WAF. The access token comes
/// from <see cref="AccountCredentials"/>, which mints or refreshes it first when it is due.
/// </summary>
public sealed class QwenHeadersHandler(
    IOptionsMonitor<QwenOptions> options, AccountCredentials credentials, IUpstreamRequestSigner signer, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var profile = settings.Browser;
        var headers = request.Headers;
        var origin = Origin(settings.BaseUrl);

        if (request.Options.TryGetValue(QwenRequestOptions.Account, out var account))
        {
            var token = await credentials.AccessTokenAsync(account, cancellationToken);
            var sent = CredentialHeaders.For(account.Session, token, account.Session.Cookies.HeaderFor(account.Cookies));
            headers.TryAddWithoutValidation("Authorization", sent.Authorization);
            headers.TryAddWithoutValidation("Cookie", sent.Cookie);
        }

        headers.TryAddWithoutValidation("source", profile.Source);
        headers.TryAddWithoutValidation("version", profile.Version);
        headers.TryAddWithoutValidation("x-request-id", Guid.NewGuid().ToString());
        headers.TryAddWithoutValidation("timezone", CachedTimezone(time.GetUtcNow(), profile.TimeZone));
        headers.TryAddWithoutValidation("x-accel-buffering", "no");
        AddBrowserIdentity(headers, profile, "same-origin", origin);
        headers.TryAddWithoutValidation("Referer", request.Options.TryGetValue(QwenRequestOptions.ChatId, out var chatId) ? $"{origin}/c/{chatId}" : $"{origin}/");
        if (!headers.NonValidated.Contains("Accept"))
        {
            headers.TryAddWithoutValidation("Accept", "application/json, text/plain, */*");
        }

        if (account is null)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        await signer.SignAsync(request, account, cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            account.Session.Cookies.Absorb(setCookies, time.GetUtcNow());
        }

        return response;
    }

    // Both change at most once a second (or with the settings), and every upstream call sends them.
    private volatile OriginValue? _origin;
    private volatile TimezoneValue? _timezone;

    private string Origin(string baseUrl)
    {
        if (_origin is { } cached && ReferenceEquals(cached.BaseUrl, baseUrl))
        {
            return cached.Value;
        }

        var value = baseUrl.TrimEnd('/');
        _origin = new OriginValue(baseUrl, value);
        return value;
    }

    /// <summary>
    /// The browser's identity and fetch metadata, sent with every call the web app makes; <paramref name="site"/> is
    /// same-origin for the chat API and same-site for the auth host (docs/upstream.md §4, §3.3).
    /// </summary>
    internal static void AddBrowserIdentity(HttpRequestHeaders headers, BrowserProfile profile, string site, string origin)
    {
        headers.TryAddWithoutValidation("User-Agent", profile.UserAgent);
        headers.TryAddWithoutValidation("Accept-Language", profile.AcceptLanguage);
        headers.TryAddWithoutValidation("sec-ch-ua", profile.SecChUa);
        headers.TryAddWithoutValidation("sec-ch-ua-mobile", "?0");
        headers.TryAddWithoutValidation("sec-ch-ua-platform", profile.Platform);
        headers.TryAddWithoutValidation("sec-fetch-dest", "empty");
        headers.TryAddWithoutValidation("sec-fetch-mode", "cors");
        headers.TryAddWithoutValidation("sec-fetch-site", site);
        headers.TryAddWithoutValidation("Origin", origin);
    }

    private string CachedTimezone(DateTimeOffset utcNow, string timeZoneId)
    {
        var second = utcNow.ToUnixTimeSeconds();
        if (_timezone is { } cached && cached.Second == second && ReferenceEquals(cached.ZoneId, timeZoneId))
        {
            return cached.Value;
        }

        var value = BrowserTimezone(utcNow, timeZoneId);
        _timezone = new TimezoneValue(second, timeZoneId, value);
        return value;
    }

    private sealed record OriginValue(string BaseUrl, string Value);

    private sealed record TimezoneValue(long Second, string ZoneId, string Value);

    /// <summary>The browser's Date.toString() form, e.g. "Sat Sep 26 2026 00:12:28 GMT+0700".</summary>
    internal static string BrowserTimezone(DateTimeOffset utcNow, string timeZoneId)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var found) ? found : TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(utcNow, zone);
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        return local.ToString("ddd MMM dd yyyy HH:mm:ss", CultureInfo.InvariantCulture) + $" GMT{sign}{Math.Abs(offset.Hours):00}{Math.Abs(offset.Minutes):00}";
    }
}
