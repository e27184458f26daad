using System.Text.Json;
using QwenFunctions.Chat;
using QwenFunctions.Http;

namespace QwenFunctions.Tests.Chat;

public sealed class ContentPartsTests
{
    [Fact]
    public void Parse_AssistantRefusalPart_IsKeptAsText()
    {
        var content = JsonDocument.Parse("""[{"type":"refusal","refusal":"I can't help with that."}]""").RootElement;

        var (text, images, files) = ContentParts.Parse(content, "messages[1].content");

        Assert.Equal("I can't help with that.", text);
        Assert.Empty(images);
        Assert.Empty(files);
    }

    [Fact]
    public void Parse_SeedAndOpenAIParts_SplitIntoTextImagesAndFiles()
    {
        var content = JsonDocument.Parse("""
            [{"type":"text","text":"compare"},{"type":"image","image":"https://cdn.qwenlm.ai/a.png"},
             {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}},{"type":"file","file":"file-1"},
             {"type":"file","file":{"file_id":"file-2"}}]
            """).RootElement;

        var (text, images, files) = ContentParts.Parse(content, "message");

        Assert.Equal("compare", text);
        Assert.Equal(["https://cdn.qwenlm.ai/a.png", "data:image/png;base64,AAAA"], images);
        Assert.Equal(["file-1", "file-2"], files);
    }

    [Fact]
    public void Parse_AudioPart_Answers400NamingThePart()
    {
        var content = JsonDocument.Parse("""[{"type":"input_audio","input_audio":{"data":"AAAA","format":"wav"}}]""").RootElement;

        var error = Assert.Throws<ApiException>(() => ContentParts.Parse(content, "messages[0].content"));

        Assert.Equal("messages[0].content[0]", error.Param);
    }
}
