using QwenFunctions.Accounts;

namespace QwenFunctions.Upstream;

/// <summary>Per-request data the header handler needs. The account travels here, never in a header set by callers.</summary>
public static class QwenRequestOptions
{
    public static readonly HttpRequestOptionsKey<QwenAccount> Account = new("qwen.account");

    /// <summary>The chat the request is about; shapes the Referer like a browser tab on that chat.</summary>
    public static readonly HttpRequestOptionsKey<string> ChatId = new("qwen.chatId");

    public static HttpRequestMessage WithAccount(this HttpRequestMessage request, QwenAccount? account, string? chatId = null)
    {
        if (account is not null)
        {
            request.Options.Set(Account, account);
        }

        if (chatId is not null)
        {
            request.Options.Set(ChatId, chatId);
        }

        return request;
    }
}
