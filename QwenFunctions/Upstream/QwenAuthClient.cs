using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QwenFunctions.Accounts;
using QwenFunctions.Configuration;

namespace QwenFunctions.Upstream;

/// <summary>What a refresh answered. A class, not a record: a record would print the tokens.</summary>
public sealed class MintedTokens(string accessToken, string? refreshToken)
{
    public string AccessToken { get; } = accessToken;

    /// <summary>The refresh token the answer carried (in <c>data</c> or in <c>Set-Cookie</c>), if any.</summary>
    public string? RefreshToken { get; } = refreshToken;

    public override string ToString() => "minted tokens";
}

/// <summary>
/// auth.qwen.ai (docs/upstream.md §3.3, §10.1): <c>GET /api/v2/auths/refresh</c> with the <c>refresh_token</c> cookie
/// answers a new access token and maybe a rotated refresh token. No retries here: a refresh that reached the upstream
/// may already have retired the token it sent, so a blind second try could only be refused.
/// </summary>
public sealed class QwenAuthClient(
    HttpClient http, IOptionsMonitor<QwenOptions> options, IUpstreamRequestSigner signer, TimeProvider time, ILogger<QwenAuthClient> logger)
{
    private const string RefreshPath = "api/v2/auths/refresh";
    private const string RefreshCookie = "refresh_token";

    /// <exception cref="QwenUpstreamException">
    /// <see cref="UpstreamErrorKind.RefreshRejected"/> when the auth host refuses the token; other kinds when it fails.
    /// </exception>
    public async Task<MintedTokens> RefreshAsync(QwenAccount account, string refreshToken, CancellationToken cancellationToken)
    {
        // Absolute before it is sent: the signer sees the final URL, as it does for the chat API's requests.
        using var request = new HttpRequestMessage(HttpMethod.Get, http.BaseAddress is { } authRoot ? new Uri(authRoot, RefreshPath) : new Uri(RefreshPath, UriKind.Relative));
        AddBrowserHeaders(request.Headers);
        // The refresh cookie, then the account's own cookies: the browser sends its .qwen.ai cookies here as well.
        var cookies = account.Session.Cookies.HeaderFor(account.Cookies);
        request.Headers.TryAddWithoutValidation("Cookie", cookies is null ? $"{RefreshCookie}={refreshToken}" : $"{RefreshCookie}={refreshToken}; {cookies}");
        await signer.SignAsync(request, account, cancellationToken);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new QwenUpstreamException(UpstreamErrorKind.Transient, "Auth host unreachable: " + ex.HttpRequestError, ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new QwenUpstreamException(UpstreamErrorKind.Timeout, "The auth host did not answer in time.", ex);
        }

        using (response)
        {
            var text = await QwenApiClient.ReadBoundedAsync(response.Content, cancellationToken);
            var rotatedCookie = RefreshTokenFrom(response.Headers);
            if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            {
                account.Session.Cookies.Absorb(setCookies, time.GetUtcNow()); // the jar skips refresh_token itself
            }

            if (QwenApiClient.ErrorIn(response, text) is { } error)
            {
                var failure = error.Kind == UpstreamErrorKind.Unauthorized
                    ? new QwenUpstreamException(UpstreamErrorKind.RefreshRejected, "The auth host refused the refresh token.")
                    {
                        UpstreamCode = error.UpstreamCode,
                        UpstreamStatus = error.UpstreamStatus,
                    }
                    : error;
                Log.UpstreamError(logger, "GET", "/" + RefreshPath, failure.Kind.ToString(), failure.UpstreamStatus, UpstreamText.Redact(error.Message));
                throw failure;
            }

            using var doc = QwenApiClient.ParseJson(text);
            var root = doc.RootElement;
            var data = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : root;
            var accessToken = String(data, "access_token") ?? String(data, "token");
            if (accessToken is null)
            {
                Log.UpstreamError(logger, "GET", "/" + RefreshPath, nameof(UpstreamErrorKind.Transient), (int)response.StatusCode, "answer without an access token");
                throw new QwenUpstreamException(UpstreamErrorKind.Transient, "The auth host answered without an access token.");
            }

            return new MintedTokens(accessToken, String(data, "refresh_token") ?? rotatedCookie);
        }
    }

    private void AddBrowserHeaders(HttpRequestHeaders headers)
    {
        // The set the web app sends from chat.qwen.ai to auth.qwen.ai (docs/upstream.md §3.3): a cross-origin, same-site call.
        var settings = options.CurrentValue;
        var profile = settings.Browser;
        var origin = settings.BaseUrl.TrimEnd('/');
        headers.Accept.ParseAdd("application/json, text/plain, */*");
        headers.TryAddWithoutValidation("source", profile.Source);
        headers.TryAddWithoutValidation("version", profile.Version);
        headers.TryAddWithoutValidation("x-request-id", Guid.NewGuid().ToString());
        headers.TryAddWithoutValidation("x-request-origin", origin);
        headers.TryAddWithoutValidation("timezone", QwenHeadersHandler.BrowserTimezone(time.GetUtcNow(), profile.TimeZone));
        QwenHeadersHandler.AddBrowserIdentity(headers, profile, "same-site", origin);
        headers.TryAddWithoutValidation("Referer", origin + "/");
    }

    /// <summary>The value of a <c>Set-Cookie: refresh_token=…</c> that sets (not deletes) the cookie.</summary>
    private static string? RefreshTokenFrom(HttpResponseHeaders headers)
    {
        if (!headers.TryGetValues("Set-Cookie", out var values))
        {
            return null;
        }

        string? token = null;
        foreach (var value in values)
        {
            if (SetCookie.TryParse(value, out var cookie) && cookie.Name == RefreshCookie)
            {
                token = cookie.Deletes ? null : cookie.Value;
            }
        }

        return token;
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && value.GetString() is { Length: > 0 } text ? text : null;
}
