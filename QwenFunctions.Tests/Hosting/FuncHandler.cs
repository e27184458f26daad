namespace QwenFunctions.Tests.Hosting;

/// <summary>An upstream faked by a function (house style: readable in ten lines).</summary>
internal sealed class FuncHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromResult(respond(request));
}
