namespace QwenFunctions.Tests.Emulator;

/// <summary>An upstream account known to the emulator. Requests carrying its token (Bearer or cookie) act as it.</summary>
public sealed class EmulatorAccount
{
    internal EmulatorAccount(string token, string userId)
    {
        Token = token;
        UserId = userId;
    }

    /// <summary>The web-session token.</summary>
    public string Token { get; }

    /// <summary>The upstream user id (appears in file paths and CDN URLs).</summary>
    public string UserId { get; }

    /// <summary>True after <see cref="QwenEmulator.Revoke"/>: every request with this token is Unauthorized.</summary>
    public bool Revoked { get; internal set; }

    /// <summary>Per-account answer override; wins over <see cref="QwenEmulator.Answer"/>.</summary>
    public Func<AnswerContext, string>? Answer { get; set; }

    /// <summary>The refresh token that works now (see <see cref="QwenEmulator.AddRefreshAccount"/>); rotates on refresh.</summary>
    public string? RefreshToken { get; internal set; }

    /// <summary>The refresh token the account was created with: what a user pastes into the settings.</summary>
    public string? FirstRefreshToken { get; internal init; }

    /// <summary>True after <see cref="QwenEmulator.FailRefresh"/>.</summary>
    public bool RefreshFails { get; internal set; }

    /// <summary><c>Set-Cookie</c> values added to every chat API answer to this account (change it between requests).</summary>
    public string[] AnswerSetCookies { get; set; } = [];

    /// <summary><c>Set-Cookie</c> values added to every successful refresh of this account.</summary>
    public string[] AuthSetCookies { get; set; } = [];

    /// <summary>The most refreshes of this account that were in flight at once.</summary>
    public int MaxConcurrentRefreshes => Volatile.Read(ref MaxConcurrentRefreshesCount);

    internal int RefreshesInFlightCount;
    internal int MaxConcurrentRefreshesCount;

    // Refresh-only accounts print their user id, never a credential.
    public override string ToString() => $"emulator account {UserId}";
}

/// <summary>What an answer override gets to decide the answer text.</summary>
/// <param name="Token">Token of the calling account.</param>
/// <param name="ChatId">Upstream chat id.</param>
/// <param name="Prompt">Text of the user message (text parts joined with a newline when content is an array).</param>
/// <param name="Model">Requested model.</param>
/// <param name="ChatType">Chat type of the message (<c>t2t</c>, <c>search</c>, …).</param>
/// <param name="Turn">1 for the first completion in the chat, 2 for the next, …</param>
public sealed record AnswerContext(string Token, string ChatId, string Prompt, string Model, string ChatType, int Turn);

/// <summary>One request as received by the emulator.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="PathAndQuery">Path plus query string.</param>
/// <param name="Headers">Request headers (case-insensitive keys; repeated headers joined with a comma).</param>
/// <param name="Body">Body decoded as UTF-8 (empty when none).</param>
/// <param name="Token">Credential presented (Bearer first, else cookie <c>token</c>, else cookie <c>refresh_token</c>), known or not; null when none.</param>
/// <param name="ReceivedAt">Time on the emulator's TimeProvider.</param>
public sealed record RecordedRequest(
    string Method,
    string PathAndQuery,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    string? Token,
    DateTimeOffset ReceivedAt)
{
    /// <summary>Path without the query string.</summary>
    public string Path => PathAndQuery.Split('?')[0];
}
