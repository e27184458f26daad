using Microsoft.Extensions.Options;
using QwenFunctions.Accounts;
using QwenFunctions.Configuration;

namespace QwenFunctions.Upstream;

/// <summary>
/// The one place for headers only a browser can make (<c>bx-ua</c>, <c>bx-umidtoken</c>, <c>bx-v</c>; docs/upstream.md
/// §10.2). Called for every upstream request of an account (chat API and auth host) after the app has set its own
/// headers, credentials and cookies, right before the request is sent; the request's URL and body are final by then.
/// Register another implementation after <c>AddQwen</c> to plug in an external signer.
/// </summary>
public interface IUpstreamRequestSigner
{
    ValueTask SignAsync(HttpRequestMessage request, QwenAccount account, CancellationToken cancellationToken);
}

/// <summary>The default: nothing is added.</summary>
public sealed class NoRequestSigner : IUpstreamRequestSigner
{
    public ValueTask SignAsync(HttpRequestMessage request, QwenAccount account, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

/// <summary>
/// Static per-account headers from the settings (<c>Qwen__Accounts__N__Headers__bx-ua</c>, or the Linux-safe
/// <c>Qwen__Accounts__N__HeaderList</c>): values captured from a browser, replayed as they are. Enough while the
/// upstream accepts replayed values; a per-request signature needs an external signer.
/// </summary>
public sealed class StaticHeadersRequestSigner : IUpstreamRequestSigner
{
    public ValueTask SignAsync(HttpRequestMessage request, QwenAccount account, CancellationToken cancellationToken)
    {
        foreach (var (name, value) in account.Headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The signer the settings ask for: static headers when any account has some, else none.</summary>
    public static IUpstreamRequestSigner For(IOptions<QwenOptions> options) =>
        options.Value.Accounts.Any(a => a.AllHeaders().Count > 0) ? new StaticHeadersRequestSigner() : new NoRequestSigner();
}
