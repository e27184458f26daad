using System.Net;
using QwenFunctions.Tests.Emulator;
using QwenFunctions.Tests.Hosting;
using QwenFunctions.Upstream;

namespace QwenFunctions.Tests.Upstream;

/// <summary>An upstream's error text is logged (redacted), and the client gets our own message.</summary>
public sealed class UpstreamErrorTextTests
{
    private const string UpstreamDetail = "upstream-internal-detail-7f3a";
    private const string EchoedToken = "eyJhbGciOiJIUzI1NiJ9.eyJpZCI6InVzZXIifQ.c2lnbmF0dXJl";

    public static TheoryData<string, Fault> Faults => new()
    {
        { "invalid_input", Fault.InvalidInput($"{UpstreamDetail} for token {EchoedToken}") },
        { "upstream_bad_request", Fault.Error("Bad_Request", $"{UpstreamDetail} for token {EchoedToken}", 400) },
        { "upstream_bad_request", Fault.HttpStatus(422, $"{UpstreamDetail} for token {EchoedToken}") },
        { "not_found", Fault.Error("Not_Found", $"{UpstreamDetail} for token {EchoedToken}", 404) },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Chat_UpstreamRefusesWithItsOwnText_ClientGetsOurMessageAndTheLogGetsTheRedactedText(string code, Fault fault)
    {
        await using var app = await EmulatedApp.StartAsync();
        app.Emulator.Faults.Enqueue(fault, endpoint: EmulatorEndpoint.TextCompletion);

        var (response, body) = await app.PostJsonAsync("api/v1/chat/completions", new { messages = new[] { new { role = "user", content = "hi" } } });

        Assert.True((int)response.StatusCode is >= 400 and < 600);
        var error = body.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.DoesNotContain(UpstreamDetail, error.GetProperty("message").GetString());
        var logged = app.Server.Logs.GetSnapshot().Select(r => r.Message).ToList();
        Assert.Contains(logged, m => m.Contains(UpstreamDetail, StringComparison.Ordinal));
        Assert.DoesNotContain(logged, m => m.Contains(EchoedToken, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("token=abc123secretvalue; path=/", "abc123secretvalue")]
    [InlineData("Authorization: Bearer sk-live-0123", "sk-live-0123")]
    [InlineData("bad signature dGhpc2lzYXZlcnlsb25nb3BhcXVlc2lnbmF0dXJlc3RyaW5n", "dGhpc2lzYXZlcnlsb25nb3BhcXVlc2lnbmF0dXJlc3RyaW5n")]
    public void Redact_CredentialLookingParts_AreMasked(string text, string secret)
    {
        var redacted = UpstreamText.Redact(text);

        Assert.DoesNotContain(secret, redacted);
        Assert.Contains("[redacted]", redacted);
    }

    [Fact]
    public void Redact_LongText_IsCut()
    {
        Assert.True(UpstreamText.Redact(string.Join(' ', Enumerable.Repeat("word", 500))).Length <= 301);
    }
}
