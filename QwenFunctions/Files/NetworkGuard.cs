using System.Net;
using System.Net.Sockets;

namespace QwenFunctions.Files;

/// <summary>Which addresses a server-side download may connect to (no loopback, private, link-local or otherwise internal ranges).</summary>
public static class NetworkGuard
{
    private static readonly (IPAddress Network, int Prefix)[] BlockedV4 =
    [
        (IPAddress.Parse("0.0.0.0"), 8),        // "this" network
        (IPAddress.Parse("10.0.0.0"), 8),       // private
        (IPAddress.Parse("100.64.0.0"), 10),    // carrier-grade NAT
        (IPAddress.Parse("127.0.0.0"), 8),      // loopback
        (IPAddress.Parse("168.63.129.16"), 32), // Azure's wire server (DNS, health probes, instance metadata)
        (IPAddress.Parse("169.254.0.0"), 16),   // link-local, cloud metadata endpoints
        (IPAddress.Parse("172.16.0.0"), 12),    // private
        (IPAddress.Parse("192.0.0.0"), 24),     // IETF protocol assignments
        (IPAddress.Parse("192.168.0.0"), 16),   // private
        (IPAddress.Parse("198.18.0.0"), 15),    // benchmarking
        (IPAddress.Parse("224.0.0.0"), 3),      // multicast, reserved, broadcast
    ];

    private static readonly (IPAddress Network, int Prefix)[] BlockedV6 =
    [
        (IPAddress.Parse("::"), 96),            // IPv4-compatible (deprecated): some stacks route it to the IPv4 address
        (IPAddress.Parse("2002::"), 16),        // 6to4: embeds an IPv4 address, internal ones included
        (IPAddress.Parse("fc00::"), 7),         // unique local
        (IPAddress.Parse("fec0::"), 10),        // site-local (deprecated, still routed inside some networks)
        (IPAddress.Parse("fe80::"), 10),        // link-local
        (IPAddress.Parse("ff00::"), 8),         // multicast
        (IPAddress.Parse("64:ff9b::"), 96),     // NAT64 can reach internal IPv4
        (IPAddress.Parse("64:ff9b:1::"), 48),   // local-use NAT64, the same
    ];

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None))
        {
            return false;
        }

        var ranges = address.AddressFamily == AddressFamily.InterNetwork ? BlockedV4 : BlockedV6;
        return !ranges.Any(r => InRange(address, r.Network, r.Prefix));
    }

    private static bool InRange(IPAddress address, IPAddress network, int prefix)
    {
        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        for (var i = 0; i < a.Length && prefix > 0; i++, prefix -= 8)
        {
            var mask = prefix >= 8 ? 0xFF : (byte)(0xFF << (8 - prefix));
            if ((a[i] & mask) != (n[i] & mask))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>A download target resolved only to addresses the guard refuses.</summary>
public sealed class BlockedAddressException(string host) : Exception($"'{host}' resolves to a loopback, private or link-local address; such URLs are not fetched.")
{
    public string Host { get; } = host;
}
