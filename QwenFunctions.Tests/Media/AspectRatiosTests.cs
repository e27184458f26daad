using QwenFunctions.Images;

namespace QwenFunctions.Tests.Media;

public sealed class AspectRatiosTests
{
    [Theory]
    [InlineData("1024x1024", "1:1")]
    [InlineData("1792x1024", "16:9")]
    [InlineData("1024x1792", "9:16")]
    [InlineData("1536x1024", "4:3")]
    [InlineData("1024x1536", "3:4")]
    [InlineData("256x256", "1:1")]
    [InlineData("16:9", "16:9")]
    [InlineData("21:9", "16:9")]
    public void Normalize_SizeOrRatio_MapsToNearestSupportedRatio(string size, string expected) =>
        Assert.Equal(expected, AspectRatios.Normalize(size));

    [Theory]
    [InlineData("big")]
    [InlineData("0x100")]
    [InlineData("x")]
    public void Normalize_Unparseable_ReturnsNull(string size) => Assert.Null(AspectRatios.Normalize(size));
}
