using Microsoft.AspNetCore.Http;

namespace QwenFunctions.Http;

/// <summary>Every response carries x-request-id: the caller's own when it sent a sane one, else ours.</summary>
public static class RequestIdentity
{
    private const string Header = "x-request-id";

    // Anthropic SDKs read this one into the request_id of responses and exceptions.
    private const string AnthropicHeader = "request-id";
    private static readonly object ItemKey = new();

    public static string Ensure(HttpContext context)
    {
        if (context.Items.TryGetValue(ItemKey, out var existing) && existing is string id)
        {
            // The header may have been cleared with the response (error path); put it back.
            if (!context.Response.HasStarted)
            {
                SetHeaders(context, id);
            }

            return id;
        }

        var incoming = context.Request.Headers[Header].ToString();
        id = incoming.Length is > 0 and <= 128 && incoming.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? incoming
            : "req_" + Guid.NewGuid().ToString("N");
        context.Items[ItemKey] = id;
        SetHeaders(context, id);
        return id;
    }

    private static void SetHeaders(HttpContext context, string id)
    {
        context.Response.Headers[Header] = id;
        if (RouteFamily.IsAnthropic(context.Request))
        {
            context.Response.Headers[AnthropicHeader] = id;
        }
    }

    public static string Get(HttpContext context) => Ensure(context);
}
