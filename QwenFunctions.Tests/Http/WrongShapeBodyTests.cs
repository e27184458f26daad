using System.Net;
using System.Text.Json;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Http;

/// <summary>JSON that parses but binds to the wrong shape is a 400 naming the place, on every surface, never a 500.</summary>
public sealed class WrongShapeBodyTests
{
    public static TheoryData<string, string, string> Bodies => new()
    {
        { "api/v1/chat/completions", """{"messages":[null]}""", "messages[0]" },
        { "api/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"},null]}""", "messages[1]" },
        { "api/v1/chat/completions", """{"messages":"hi"}""", "messages" },
        { "api/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"stream_options":[1]}""", "stream_options" },
        { "api/chat", """{"messages":[null]}""", "messages[0]" },
        { "api/chat", """{"message":"hi","messages":[{"role":"user","content":"x"},null]}""", "messages[1]" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Post_BodyOfTheWrongShape_Answers400WithParam(string route, string body, string param)
    {
        await using var app = await EmulatedApp.StartAsync();

        using var response = await app.PostAsync(route, body);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = json.TryGetProperty("error", out var envelope) ? envelope : json;
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Empty(app.Emulator.Requests);
    }
}
