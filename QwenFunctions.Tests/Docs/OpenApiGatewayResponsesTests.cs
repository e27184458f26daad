using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using QwenFunctions.Http;

namespace QwenFunctions.Tests.Docs;

/// <summary>The 401 and 429 the HTTP pipeline answers before a function runs are documented on every route it meters.</summary>
public sealed class OpenApiGatewayResponsesTests
{
    // The routes the pipeline neither meters nor (by default) asks a key for.
    private static readonly string[] UnmeteredPaths = ["/health", "/openapi/v3.json", "/swagger.json", "/swagger/ui", "/swagger/ui/{asset}"];

    [Fact]
    public async Task GetJsonAsync_EveryMeteredOperation_Documents401And429InItsRouteFamilyShape()
    {
        var operations = await OperationsAsync();
        var metered = operations.Where(o => !UnmeteredPaths.Contains(o.Path)).ToList();

        Assert.NotEmpty(metered);
        var failures = new List<string>();
        foreach (var (path, method, operation) in metered)
        {
            var shape = RouteFamily.ShapeOf(new PathString("/" + Routes.Prefix + path));
            foreach (var status in new[] { "401", "429" })
            {
                if (ErrorShapeProblem(operation, status, shape) is { } problem)
                {
                    failures.Add($"{method.ToUpperInvariant()} {path} {status}: {problem}");
                }
            }

            var headers = operation["responses"]?["429"]?["headers"]?.AsObject();
            if (headers is null || !headers.ContainsKey("Retry-After") || !headers.ContainsKey("x-should-retry"))
            {
                failures.Add($"{method.ToUpperInvariant()} {path} 429: no Retry-After / x-should-retry header");
            }
        }

        Assert.True(failures.Count == 0, "Operations missing the pipeline's errors:\n" + string.Join('\n', failures));
    }

    [Fact]
    public async Task GetJsonAsync_EveryErrorResponse_IsInItsRouteFamilyShape()
    {
        var failures = new List<string>();
        foreach (var (path, method, operation) in await OperationsAsync())
        {
            var shape = RouteFamily.ShapeOf(new PathString("/" + Routes.Prefix + path));
            foreach (var status in operation["responses"]!.AsObject().Select(r => r.Key).Where(s => s[0] is '4' or '5'))
            {
                if (ErrorShapeProblem(operation, status, shape) is { } problem)
                {
                    failures.Add($"{method.ToUpperInvariant()} {path} {status}: {problem}");
                }
            }
        }

        Assert.True(failures.Count == 0, "Error responses in the wrong shape for their route:\n" + string.Join('\n', failures));
    }

    [Fact]
    public void IsUnmetered_DocumentedUnmeteredPaths_AreExactlyTheOnesThePipelineSkips()
    {
        var document = OpenApiTestDocuments.AppDocument();

        var skipped = document.Paths.Keys
            .Where(p => ApiKeyGate.IsUnmetered(new PathString("/" + Routes.Prefix + p)))
            .Order(StringComparer.Ordinal);

        Assert.Equal(UnmeteredPaths.Order(StringComparer.Ordinal), skipped);
    }

    [Fact]
    public async Task GetJsonAsync_HealthAndDocs_DocumentNo429()
    {
        var operations = await OperationsAsync();

        var unmetered = operations.Where(o => UnmeteredPaths.Contains(o.Path)).ToList();

        Assert.Equal(UnmeteredPaths.Length, unmetered.Count);
        Assert.All(unmetered, o => Assert.False(o.Operation["responses"]!.AsObject().ContainsKey("429"), o.Path));
    }

    [Theory]
    [InlineData("/chat", false, new[] { "404", "409", "413", "429", "503" })]
    [InlineData("/v1/chat/completions", true, new[] { "409", "413", "429" })]
    [InlineData("/chat/completions", true, new[] { "409", "413", "429" })]
    public async Task GetJsonAsync_ChatRoutes_DocumentConversationAndLimitErrors(string path, bool openAI, string[] statuses)
    {
        var operation = (await OperationsAsync()).Single(o => o.Path == path && o.Method == "post").Operation;

        Assert.All(statuses, status => Assert.Null(ErrorShapeProblem(operation, status, openAI ? ErrorShape.OpenAI : ErrorShape.Problem)));
        var conflict = operation["responses"]!["409"]!["description"]!.GetValue<string>();
        Assert.Contains("conversation_busy", conflict);
        Assert.Contains("file_account_mismatch", conflict);
        Assert.Contains("conversation_account_unavailable", conflict);
    }

    private static async Task<List<(string Path, string Method, JsonObject Operation)>> OperationsAsync()
    {
        var document = JsonNode.Parse(await OpenApiTestDocuments.AppDocumentJsonAsync())!;
        return
        [
            .. from path in document["paths"]!.AsObject()
               from operation in path.Value!.AsObject()
               select (path.Key, operation.Key, operation.Value!.AsObject()),
        ];
    }

    private static string? ErrorShapeProblem(JsonObject operation, string status, ErrorShape shape)
    {
        if (operation["responses"]?[status] is not JsonObject response)
        {
            return "not documented";
        }

        var (mediaType, schema) = shape switch
        {
            ErrorShape.OpenAI => ("application/json", "OpenAIErrorEnvelope"),
            ErrorShape.Anthropic => ("application/json", "AnthropicErrorEnvelope"),
            _ => ("application/problem+json", "ApiProblemDetails"),
        };
        var reference = response["content"]?[mediaType]?["schema"]?["$ref"]?.GetValue<string>();
        return reference == $"#/components/schemas/{schema}" ? null : $"expected {mediaType} {schema}, found {response["content"]?.ToJsonString() ?? "no content"}";
    }
}
