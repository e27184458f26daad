using System.ComponentModel.DataAnnotations;

namespace QwenFunctions.Configuration;

/// <summary>Upstream (chat.qwen.ai) settings. The seed's flat names (QWEN_BASE_URL, QWEN_TOKENS, …) are read too.</summary>
public sealed class QwenOptions : IValidatableObject
{
    public const string SectionName = "Qwen";

    /// <summary>Base URL of chat.qwen.ai, or of a simulator. Seed name: QWEN_BASE_URL.</summary>
    [Required]
    public string BaseUrl { get; set; } = "https://chat.qwen.ai";

    /// <summary>Comma-separated tokens (QWEN_TOKENS). Combined with <see cref="Token"/> as the seed does.</summary>
    public string? Tokens { get; set; }

    /// <summary>A single token (QWEN_TOKEN).</summary>
    public string? Token { get; set; }

    /// <summary>Comma-separated refresh tokens (QWEN_REFRESH_TOKENS); each one is an account whose access tokens the app mints.</summary>
    public string? RefreshTokens { get; set; }

    /// <summary>
    /// Accounts with a refresh token, extra browser cookies or signed headers (Qwen__Accounts__0__Token,
    /// Qwen__Accounts__0__RefreshToken, Qwen__Accounts__0__Cookies, Qwen__Accounts__0__Headers__bx-ua).
    /// </summary>
    public List<AccountSettings> Accounts { get; set; } = [];

    /// <summary>The host that mints access tokens from refresh tokens (QWEN_AUTH_BASE_URL), or a simulator.</summary>
    [Required]
    public string AuthBaseUrl { get; set; } = "https://auth.qwen.ai";

    /// <summary>How long before an access token's <c>exp</c> it is refreshed (at most half its lifetime).</summary>
    public TimeSpan RefreshMargin { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Base64 of 32 random bytes (QWEN_TOKEN_ENCRYPTION_KEY): the AES-GCM key for rotated refresh tokens in the shared
    /// state table. Required when refresh tokens are configured and state is shared; in Azure a Key Vault reference.
    /// </summary>
    public string? TokenEncryptionKey { get; set; }

    /// <summary>Model used when a request names none (DEFAULT_MODEL). Empty: the first model the upstream lists.</summary>
    public string? DefaultModel { get; set; }

    /// <summary>Overrides the OSS host from the STS answer (for simulators), e.g. http://127.0.0.1:9000.</summary>
    public string? OssEndpoint { get; set; }

    public BrowserProfile Browser { get; set; } = new();

    public TimeoutSettings Timeouts { get; set; } = new();

    public CooldownSettings Cooldowns { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            yield return new ValidationResult($"Qwen:BaseUrl (QWEN_BASE_URL) must be an absolute http(s) URL; got '{BaseUrl}'.", [nameof(BaseUrl)]);
        }

        if (OssEndpoint is { Length: > 0 } && !Uri.TryCreate(OssEndpoint, UriKind.Absolute, out _))
        {
            yield return new ValidationResult($"Qwen:OssEndpoint must be an absolute URL; got '{OssEndpoint}'.", [nameof(OssEndpoint)]);
        }

        if (!Uri.TryCreate(AuthBaseUrl, UriKind.Absolute, out var auth) || (auth.Scheme != Uri.UriSchemeHttp && auth.Scheme != Uri.UriSchemeHttps))
        {
            yield return new ValidationResult($"Qwen:AuthBaseUrl (QWEN_AUTH_BASE_URL) must be an absolute http(s) URL; got '{AuthBaseUrl}'.", [nameof(AuthBaseUrl)]);
        }

        if (RefreshMargin < TimeSpan.Zero)
        {
            yield return new ValidationResult($"Qwen:RefreshMargin must not be negative; got '{RefreshMargin}'.", [nameof(RefreshMargin)]);
        }

        // An unresolved Key Vault reference only matters when the key is needed (see AddSharedState): the app must not
        // stop for a key nothing uses. Never echo the value: it is a secret, even when malformed.
        if (Setting.Value(TokenEncryptionKey) is { } key && !TokenKey.IsUnresolvedReference(key) && !TokenKey.TryParse(key, out _))
        {
            yield return new ValidationResult(
                "QWEN_TOKEN_ENCRYPTION_KEY (Qwen:TokenEncryptionKey) must be the base64 of exactly 32 bytes, e.g. the output of `openssl rand -base64 32`.",
                [nameof(TokenEncryptionKey)]);
        }

        for (var i = 0; i < Accounts.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Accounts[i].Token) && string.IsNullOrWhiteSpace(Accounts[i].RefreshToken))
            {
                yield return new ValidationResult($"Qwen:Accounts:{i} has neither a Token nor a RefreshToken.", [nameof(Accounts)]);
            }
        }

        foreach (var result in Timeouts.Validate().Concat(Cooldowns.Validate()))
        {
            yield return result;
        }
    }
}

public sealed class AccountSettings
{
    /// <summary>An access token (the JWT of the web app's <c>token</c> cookie); optional when <see cref="RefreshToken"/> is set.</summary>
    public string? Token { get; set; }

    /// <summary>The 30-day <c>refresh_token</c> cookie of auth.qwen.ai: the app mints and refreshes access tokens with it.</summary>
    public string? RefreshToken { get; set; }

    /// <summary>Extra cookies sent with the token cookie, as a Cookie header fragment ("a=1; b=2").</summary>
    public string? Cookies { get; set; }

    /// <summary>Static headers sent on every upstream request of this account (Qwen__Accounts__0__Headers__bx-ua).</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The same headers as one setting, "bx-v=2.5.37,bx-umidtoken=T2gA…": Linux app settings cannot carry a '-' in
    /// their name. Split at the first '=' of each entry; entries here win over <see cref="Headers"/>.
    /// </summary>
    public string? HeaderList { get; set; }

    public IReadOnlyDictionary<string, string> AllHeaders()
    {
        var headers = new Dictionary<string, string>(Headers, StringComparer.OrdinalIgnoreCase);
        foreach (var entry in ProxyOptions.Split(HeaderList))
        {
            var separator = entry.IndexOf('=');
            if (separator > 0 && separator < entry.Length - 1)
            {
                headers[entry[..separator].Trim()] = entry[(separator + 1)..].Trim();
            }
        }

        return headers;
    }
}

/// <summary>Browser-like headers; upstream drift (a new web version) is fixed here, not in code.</summary>
public sealed class BrowserProfile
{
    public string Version { get; set; } = "0.3.12";
    public string UserAgent { get; set; } = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
    public string SecChUa { get; set; } = "\"Chromium\";v=\"140\", \"Not=A?Brand\";v=\"24\", \"Google Chrome\";v=\"140\"";
    public string Platform { get; set; } = "\"Windows\"";
    public string AcceptLanguage { get; set; } = "en-US,en;q=0.9";

    /// <summary>IANA or Windows time zone id used for the `timezone` header.</summary>
    public string TimeZone { get; set; } = "UTC";
    public string Source { get; set; } = "web";
}

public sealed class TimeoutSettings
{
    public TimeSpan Connect { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>From sending the request to the first upstream event.</summary>
    public TimeSpan FirstByte { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest silence between two upstream events once streaming.</summary>
    public TimeSpan Idle { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Non-streaming upstream calls (chat creation, models, status polls).</summary>
    public TimeSpan Request { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often downstream streams get a `: keep-alive` comment while the upstream is silent.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    internal IEnumerable<ValidationResult> Validate()
    {
        foreach (var (name, value) in new[] { (nameof(Connect), Connect), (nameof(FirstByte), FirstByte), (nameof(Idle), Idle), (nameof(Request), Request), (nameof(KeepAlive), KeepAlive) })
        {
            if (value <= TimeSpan.Zero)
            {
                yield return new ValidationResult($"Qwen:Timeouts:{name} must be positive; got '{value}'.", [name]);
            }
        }
    }
}

public sealed class CooldownSettings
{
    /// <summary>Used when a RateLimited answer carries no `num` hours.</summary>
    public TimeSpan RateLimitDefault { get; set; } = TimeSpan.FromHours(24);

    /// <summary>After an empty stream (the upstream's soft limit).</summary>
    public TimeSpan SoftLimit { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>After a WAF/captcha answer: the pool pauses the account briefly; it is not the account's fault.</summary>
    public TimeSpan WafBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound on accounts tried for one request (never more than the pool).</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 3;

    internal IEnumerable<ValidationResult> Validate()
    {
        if (RateLimitDefault <= TimeSpan.Zero || SoftLimit <= TimeSpan.Zero || WafBackoff < TimeSpan.Zero)
        {
            yield return new ValidationResult("Qwen:Cooldowns durations must be positive.", [nameof(RateLimitDefault)]);
        }

        if (MaxAttempts is < 1 or > 10)
        {
            yield return new ValidationResult($"Qwen:Cooldowns:MaxAttempts must be between 1 and 10; got {MaxAttempts}.", [nameof(MaxAttempts)]);
        }
    }
}
