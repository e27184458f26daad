using System.Net;
using System.Net.Sockets;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace QwenFunctions.Tests.Hosting;

public sealed class FunctionsTestServerTests
{
    [Fact]
    public void Discovery_EveryHttpFunction_HasOnlyParametersTheHostCanBind()
    {
        var functions = HttpFunction.Discover(typeof(ServiceCollectionExtensions).Assembly);

        Assert.Empty(functions.SelectMany(f => FunctionInvoker.UnbindableParameters(f, [])));
    }

    [Fact]
    public async Task Routing_WrongMethodOrUnknownPath_IsNotServed()
    {
        await using var server = await FunctionsTestServer.StartAsync(new Dictionary<string, string?>());

        var wrongMethod = await server.Client.PostAsync("api/health", content: null);
        var unknown = await server.Client.GetAsync("api/no-such-route");
        var noPrefix = await server.Client.GetAsync("health");

        Assert.False(wrongMethod.IsSuccessStatusCode); // 405 here; the Functions host answers 404
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noPrefix.StatusCode);
    }

    [Fact]
    public async Task Invocation_AnyFunction_CarriesTheRequestIdOfTheWorkerPipeline()
    {
        await using var server = await FunctionsTestServer.StartAsync(new Dictionary<string, string?>());
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/status");
        request.Headers.Add("x-request-id", "req-from-client-1");

        var response = await server.Client.SendAsync(request);

        Assert.Equal("req-from-client-1", response.Headers.GetValues("x-request-id").Single());
    }

    [Fact]
    public async Task Invocation_DurableClientParameter_BindsTheClientTheTestRegistered()
    {
        await using var durable = await DurableTaskTestHost.StartAsync(_ => { }, new DurableTaskTestHostOptions { Port = FreePort() });
        await using var server = await FunctionsTestServer.StartAsync(
            new Dictionary<string, string?>(), o => o.ConfigureServices = s => s.AddSingleton<DurableTaskClient>(durable.Client));

        var response = await server.Client.GetAsync("api/videos/video_" + new string('0', 32));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
