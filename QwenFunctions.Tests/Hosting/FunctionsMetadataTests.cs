using System.Text.Json;

namespace QwenFunctions.Tests.Hosting;

/// <summary>Checks the functions.metadata the Worker SDK generated for the app: what the Functions host will actually route.</summary>
public sealed class FunctionsMetadataTests
{
    // Every HTTP function of the app. Add a row per new function (name, methods, route without the "api/" prefix).
    private static readonly HttpRoute[] Expected =
    [
        new("Health", "GET", "health"),
        new("Status", "GET", "status"),
        new("ChatsCreate", "POST", "chats"),
        new("ModelsList", "GET", "v1/models"),
        new("ModelsListUnversioned", "GET", "models"),
        new("ModelsGet", "GET", "v1/models/{id}"),
        new("ModelsGetUnversioned", "GET", "models/{id}"),
        new("AnthropicMessages", "POST", "v1/messages"),
        new("AnthropicCountTokens", "POST", "v1/messages/count_tokens"),
        new("Images", "POST", "images"),
        new("OpenAIImageGenerations", "POST", "v1/images/generations"),
        new("OpenAIImageGenerationsAlias", "POST", "images/generations"),
        new("FilesUpload", "POST", "files/upload"),
        new("OpenAIFilesUpload", "POST", "v1/files"),
        new("FilesStsToken", "POST", "files/getstsToken"),
        new("OpenAICreateVideo", "POST", "v1/videos"),
        new("OpenAIGetVideo", "GET", "v1/videos/{id}"),
        new("OpenAIGetVideoContent", "GET", "v1/videos/{id}/content"),
        new("OpenAIDeleteVideo", "DELETE", "v1/videos/{id}"),
        new("CreateVideo", "POST", "videos"),
        new("GetVideo", "GET", "videos/{id}"),
        new("GetVideoContent", "GET", "videos/{id}/content"),
        new("CancelVideo", "DELETE", "videos/{id}"),
        new("GetTaskStatus", "GET", "tasks/status/{id}"),
        new("Chat", "POST", "chat"),
        new("ChatCompletionsV1", "POST", "v1/chat/completions"),
        new("ChatCompletions", "POST", "chat/completions"),
        new("RenderOpenApiDocument", "GET", "openapi/v3.json"),
        new("RenderSwaggerDocument", "GET", "swagger.json"),
        new("RenderSwaggerUI", "GET", "swagger/ui"),
        new("RenderSwaggerUIAsset", "GET", "swagger/ui/{asset}"),
    ];

    // The durable side of video generation: triggers the Functions host must route without HTTP.
    private static readonly Trigger[] ExpectedNonHttpTriggers =
    [
        new("VideoJobOrchestrator", "orchestrationTrigger"),
        new("CreateVideoChat", "activityTrigger"),
        new("SendVideoRequest", "activityTrigger"),
        new("PollVideoTask", "activityTrigger"),
    ];

    // Only these functions may start, query or end orchestrations.
    private static readonly string[] ExpectedDurableClients =
    [
        "CreateVideo", "GetVideo", "GetVideoContent", "CancelVideo", "GetTaskStatus",
        "OpenAICreateVideo", "OpenAIGetVideo", "OpenAIGetVideoContent", "OpenAIDeleteVideo",
        "Chat",
    ];

    [Fact]
    public void Metadata_NonHttpTriggers_AreTheVideoOrchestratorAndActivities()
    {
        var triggers = ReadBindings()
            .Where(b => b.Type.EndsWith("Trigger", StringComparison.Ordinal) && b.Type != "httpTrigger")
            .Select(b => new Trigger(b.Function, b.Type))
            .ToArray();

        Assert.Equal(ExpectedNonHttpTriggers.OrderBy(t => t.Function), triggers.OrderBy(t => t.Function));
    }

    [Fact]
    public void Metadata_DurableClientBindings_OnlyOnExpectedFunctions()
    {
        var clients = ReadBindings().Where(b => b.Type == "durableClient").Select(b => b.Function).ToArray();

        Assert.Equal(clients.Length, clients.Distinct().Count());
        Assert.Equal(ExpectedDurableClients.Order(StringComparer.Ordinal), clients.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Metadata_HttpFunctions_MatchExpectedTable()
    {
        var actual = ReadHttpFunctions().Select(f => f.Route).ToArray();

        var missing = Expected.Except(actual).ToArray();
        var unexpected = actual.Except(Expected).ToArray();
        Assert.True(missing.Length == 0 && unexpected.Length == 0,
            $"Not in functions.metadata: [{string.Join(", ", missing)}]; not in the expected table: [{string.Join(", ", unexpected)}]");
        Assert.Equal(actual.Length, actual.Distinct().Count());
    }

    [Fact]
    public void Metadata_HttpFunctions_AreAnonymousBecauseTheApiKeyGateDoesAuth()
    {
        var functions = ReadHttpFunctions();

        Assert.NotEmpty(functions);
        Assert.All(functions, f => Assert.Equal("Anonymous", f.AuthLevel, ignoreCase: true));
    }

    [Fact]
    public void TestServer_Discovery_MatchesMetadata()
    {
        var discovered = HttpFunction.Discover(typeof(ServiceCollectionExtensions).Assembly)
            .Select(f => new HttpRoute(f.Name, string.Join(',', f.HttpMethods ?? ["*"]), f.Route))
            .OrderBy(r => r.Function);

        Assert.Equal(ReadHttpFunctions().Select(f => f.Route).OrderBy(r => r.Function), discovered);
    }

    private static IReadOnlyList<(string Function, string Type)> ReadBindings()
    {
        using var doc = ReadMetadata();
        return
        [
            .. from function in doc.RootElement.EnumerateArray()
               from binding in function.GetProperty("bindings").EnumerateArray()
               select (function.GetProperty("name").GetString()!, binding.GetProperty("type").GetString()!),
        ];
    }

    private static JsonDocument ReadMetadata()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "app.functions.metadata");
        Assert.True(File.Exists(path), $"{path} is missing: the test project copies it from the app's build output after build.");
        return JsonDocument.Parse(File.ReadAllText(path));
    }

    private static IReadOnlyList<(HttpRoute Route, string AuthLevel)> ReadHttpFunctions()
    {
        using var doc = ReadMetadata();
        return
        [
            .. from function in doc.RootElement.EnumerateArray()
               from binding in function.GetProperty("bindings").EnumerateArray()
               where binding.GetProperty("type").GetString() == "httpTrigger"
               let methods = binding.TryGetProperty("methods", out var m) && m.ValueKind == JsonValueKind.Array
                   ? string.Join(',', m.EnumerateArray().Select(x => x.GetString()!.ToUpperInvariant()))
                   : "*"
               let route = binding.TryGetProperty("route", out var r) && r.GetString() is { } value ? value : function.GetProperty("name").GetString()!
               select (new HttpRoute(function.GetProperty("name").GetString()!, methods, route), binding.GetProperty("authLevel").GetString()!),
        ];
    }

    private sealed record HttpRoute(string Function, string Methods, string Route);

    private sealed record Trigger(string Function, string Type);
}
