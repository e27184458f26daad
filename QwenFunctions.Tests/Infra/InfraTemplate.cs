using System.Text.Json;
using System.Text.Json.Nodes;

namespace QwenFunctions.Tests.Infra;

/// <summary>
/// Compiles infra/main.bicep once per test run and exposes the ARM JSON, including every module's
/// nested template, so tests can assert on what would actually be deployed.
/// </summary>
public sealed class InfraTemplate : IAsyncLifetime
{
    private readonly string _outputDirectory = Path.Combine(Path.GetTempPath(), "qwen-infra-" + Guid.NewGuid().ToString("N"));

    public static string RepositoryRoot => Hosting.RepositoryRoot.Path;

    public static string InfraDirectory => Path.Combine(RepositoryRoot, "infra");

    internal BicepRun Build { get; private set; } = null!;

    internal BicepRun Lint { get; private set; } = null!;

    /// <summary>The compiled main template; null when the build failed (the build test reports why).</summary>
    public JsonObject? Main { get; private set; }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_outputDirectory);
        var compiled = Path.Combine(_outputDirectory, "main.json");
        Build = await BicepCli.RunAsync(InfraDirectory, "build", "main.bicep", "--outfile", compiled);
        Lint = await BicepCli.RunAsync(InfraDirectory, "lint", "--pattern", "**/*.bicep");
        if (Build.ExitCode == 0 && File.Exists(compiled))
        {
            Main = JsonNode.Parse(await File.ReadAllTextAsync(compiled))!.AsObject();
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_outputDirectory, recursive: true);
        return Task.CompletedTask;
    }

    public JsonObject RequireMain() =>
        Main ?? throw new InvalidOperationException("infra/main.bicep did not compile:\n" + Build.Output);

    /// <summary>The main template and every module template nested in it.</summary>
    public IEnumerable<JsonObject> AllTemplates()
    {
        var pending = new Stack<JsonObject>([RequireMain()]);
        while (pending.TryPop(out var template))
        {
            yield return template;
            foreach (var deployment in ResourcesOf(template).Where(r => TypeOf(r) == "Microsoft.Resources/deployments"))
            {
                if (deployment["properties"]?["template"] is JsonObject nested)
                {
                    pending.Push(nested);
                }
            }
        }
    }

    public IEnumerable<JsonObject> AllResources() => AllTemplates().SelectMany(ResourcesOf);

    public IReadOnlyList<JsonObject> ResourcesOfType(string type) =>
        AllResources().Where(r => string.Equals(TypeOf(r), type, StringComparison.OrdinalIgnoreCase)).ToList();

    public JsonObject SingleResource(string type)
    {
        var matches = ResourcesOfType(type);
        Assert.True(matches.Count == 1, $"Expected exactly one {type}, found {matches.Count}.");
        return matches[0];
    }

    /// <summary>The function app's app settings: name to (expression) value.</summary>
    public IReadOnlyDictionary<string, string> AppSettings()
    {
        var config = ResourcesOfType("Microsoft.Web/sites/config")
            .Single(r => r["name"]!.GetValue<string>().Contains("appsettings", StringComparison.Ordinal));
        return config["properties"]!.AsObject()
            .ToDictionary(p => p.Key, p => Text(p.Value), StringComparer.Ordinal);
    }

    /// <summary>The module template whose deployment resource is named <paramref name="moduleName"/>.</summary>
    public JsonObject Module(string moduleName)
    {
        var deployment = ResourcesOf(RequireMain())
            .Single(r => TypeOf(r) == "Microsoft.Resources/deployments" && r["name"]?.GetValue<string>() == moduleName);
        return deployment["properties"]!["template"]!.AsObject();
    }

    public JsonObject ModuleDeployment(string moduleName) =>
        ResourcesOf(RequireMain())
            .Single(r => TypeOf(r) == "Microsoft.Resources/deployments" && r["name"]?.GetValue<string>() == moduleName);

    public static IEnumerable<JsonObject> ResourcesOf(JsonObject template) => template["resources"] switch
    {
        JsonArray array => array.OfType<JsonObject>(),
        // languageVersion 2.0 templates key resources by symbolic name.
        JsonObject symbolic => symbolic.Select(p => p.Value).OfType<JsonObject>(),
        _ => [],
    };

    /// <summary>A string value as is; anything else as its JSON text.</summary>
    public static string Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node?.ToJsonString() ?? "";

    public static string TypeOf(JsonObject resource) => resource["type"]?.GetValue<string>() ?? "";

    public static JsonDocument ReadJsonFile(string path) => JsonDocument.Parse(
        File.ReadAllText(path),
        new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
}

[CollectionDefinition(Name)]
public sealed class InfraCollection : ICollectionFixture<InfraTemplate>
{
    public const string Name = "Infra";
}
