using System.Net;
using QwenFunctions.Files;

namespace QwenFunctions.Tests.Media;

public sealed class NetworkGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.20.0.1")]
    [InlineData("192.168.1.10")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::10.0.0.1")]
    [InlineData("::a9fe:a9fe")]
    [InlineData("fec0::1")]
    [InlineData("64:ff9b:1::a00:1")]
    [InlineData("2002:a00:1::1")]
    [InlineData("2002:7f00:1::")]
    [InlineData("168.63.129.16")]
    public void IsPublic_InternalAddress_IsFalse(string address) => Assert.False(NetworkGuard.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("47.246.1.1")]
    [InlineData("2606:4700::1111")]
    [InlineData("168.63.129.17")]
    [InlineData("2001:db9::1")]
    public void IsPublic_PublicAddress_IsTrue(string address) => Assert.True(NetworkGuard.IsPublic(IPAddress.Parse(address)));
}
