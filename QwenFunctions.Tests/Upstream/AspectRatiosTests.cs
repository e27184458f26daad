using QwenFunctions.Http;
using QwenFunctions.Upstream;

namespace QwenFunctions.Tests.Upstream;

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

    [Theory]
    [InlineData("1920x1080", "16:9")]
    [InlineData("1280x720", "16:9")]
    [InlineData("720x1280", "9:16")]
    [InlineData("1024x1792", "9:16")]
    [InlineData("1024x1024", "1:1")]
    [InlineData("1024x768", "4:3")]
    [InlineData("768x1024", "3:4")]
    [InlineData("2000x1000", "16:9")]
    [InlineData("3:4", "3:4")]
    public void MapPixelSize_WidthByHeight_PicksNearestAspectRatio(string size, string expected) =>
        Assert.Equal(expected, AspectRatios.MapPixelSize(size, "16:9"));

    [Theory]
    [InlineData("big")]
    [InlineData("0x720")]
    [InlineData("1280x")]
    [InlineData("-5x5")]
    public void MapPixelSize_Garbage_ThrowsBadRequestForSize(string size)
    {
        var error = Assert.Throws<ApiException>(() => AspectRatios.MapPixelSize(size, "16:9"));
        Assert.Equal("size", error.Param);
    }

    [Fact]
    public void ParseExact_Missing_UsesDefault() => Assert.Equal("16:9", AspectRatios.ParseExact(null, "16:9"));

    [Theory]
    [InlineData("2:1")]
    [InlineData("1280x720")]
    [InlineData("16/9")]
    public void ParseExact_NotOneOfTheFive_ThrowsNamingAllowedValues(string size)
    {
        var error = Assert.Throws<ApiException>(() => AspectRatios.ParseExact(size, "16:9"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.Status);
        Assert.Contains("1:1, 3:4, 4:3, 16:9, 9:16", error.Message);
    }

    [Fact]
    public void Pattern_ListsExactlyTheSupportedRatios() =>
        Assert.Equal(AspectRatios.Supported, AspectRatios.Pattern.TrimStart('^', '(').TrimEnd('$', ')').Split('|'));
}
