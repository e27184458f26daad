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
    public void IsPublic_InternalAddress_IsFalse(string address) => Assert.False(NetworkGuard.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("47.246.1.1")]
    [InlineData("2606:4700::1111")]
    public void IsPublic_PublicAddress_IsTrue(string address) => Assert.True(NetworkGuard.IsPublic(IPAddress.Parse(address)));
}
