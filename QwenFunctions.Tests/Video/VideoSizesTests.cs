using QwenFunctions.Http;
using QwenFunctions.Video;

namespace QwenFunctions.Tests.Video;

public sealed class VideoSizesTests
{
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
        Assert.Equal(expected, VideoSizes.MapPixelSize(size, "16:9"));

    [Theory]
    [InlineData("big")]
    [InlineData("0x720")]
    [InlineData("1280x")]
    [InlineData("-5x5")]
    public void MapPixelSize_Garbage_ThrowsBadRequestForSize(string size)
    {
        var error = Assert.Throws<ApiException>(() => VideoSizes.MapPixelSize(size, "16:9"));
        Assert.Equal("size", error.Param);
    }

    [Fact]
    public void ParseAspectRatio_Missing_UsesDefault() => Assert.Equal("16:9", VideoSizes.ParseAspectRatio(null, "16:9"));

    [Theory]
    [InlineData("2:1")]
    [InlineData("1280x720")]
    [InlineData("16/9")]
    public void ParseAspectRatio_NotOneOfTheFive_ThrowsNamingAllowedValues(string size)
    {
        var error = Assert.Throws<ApiException>(() => VideoSizes.ParseAspectRatio(size, "16:9"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.Status);
        Assert.Contains("1:1, 3:4, 4:3, 16:9, 9:16", error.Message);
    }
}
