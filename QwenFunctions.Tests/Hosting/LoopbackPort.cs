using System.Net;
using System.Net.Sockets;

namespace QwenFunctions.Tests.Hosting;

public static class LoopbackPort
{
    /// <summary>A port on 127.0.0.1 the OS says is free now; another process may still take it before the bind.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
