using System.Net;
using System.Net.Http.Headers;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Media;

/// <summary>Where the signed PUT goes: the STS answer's host, an absolute endpoint a simulator answers, or the override.</summary>
public sealed class OssEndpointTests
{
    [Fact]
    public async Task Upload_StsAnswerNamesAbsoluteEndpointAndNoOverride_PutsPathStyleThere()
    {
        await using var app = await EmulatedApp.StartAsync(settings: s => s["Qwen:OssEndpoint"] = "");
        app.Emulator.Options.StsEndpointField = app.Emulator.OssEndpoint.ToString();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent([1, 2, 3, 4]);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        form.Add(file, "file", "bytes.txt");

        var response = await app.Http.PostAsync("api/files/upload", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, app.Emulator.Uploads.Single().Content);
    }
}
