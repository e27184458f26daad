using System.Text.Json;
using QwenFunctions.Images;

namespace QwenFunctions.Tests.Media;

public sealed class ChatDetailsImagesTests
{
    [Fact]
    public void Extract_HistoryMapOnly_ReturnsImageGenUrlsOfTheMatchingResponse()
    {
        const string json = """
            {"success":true,"data":{"id":"c1","chat":{"history":{"messages":{
              "u1":{"id":"u1","role":"user","content":"draw"},
              "a0":{"id":"a0","role":"assistant","content":"https://cdn/old.png","content_list":[{"phase":"image_gen","content":"https://cdn/old.png","response_id":"a0"}]},
              "a1":{"id":"a1","role":"assistant","content":"","content_list":[
                {"phase":"thinking_summary","content":"","response_id":"a1"},
                {"phase":"image_gen","content":"https://cdn/new-1.png","response_id":"a1"},
                {"phase":"image_gen","content":"https://cdn/new-2.png","response_id":"a1"}]}}}}}}
            """;

        var urls = ChatDetailsImages.Extract(JsonDocument.Parse(json).RootElement, "a1");

        Assert.Equal(["https://cdn/new-1.png", "https://cdn/new-2.png"], urls);
    }

    [Fact]
    public void Extract_NoContentList_ReadsUrlsFromTheContentLines()
    {
        const string json = """{"data":{"chat":{"messages":[{"id":"a1","role":"assistant","content":"https://cdn/a.png\nhttps://cdn/b.png"}]}}}""";

        Assert.Equal(["https://cdn/a.png", "https://cdn/b.png"], ChatDetailsImages.Extract(JsonDocument.Parse(json).RootElement, "a1"));
    }
}
