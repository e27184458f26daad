using System.Runtime.CompilerServices;

namespace QwenFunctions.Tests.Docs;

/// <summary>
/// The committed openapi.v3.json makes every API change visible in review. After an intended change, regenerate it with
///     UPDATE_OPENAPI_SNAPSHOT=1 dotnet test --filter FullyQualifiedName~OpenApiSnapshotTests
/// and commit the new file together with the change.
/// </summary>
public sealed class OpenApiSnapshotTests
{
    private const string UpdateVariable = "UPDATE_OPENAPI_SNAPSHOT";

    [Fact]
    public async Task GetJsonAsync_Generated_MatchesCommittedSnapshot()
    {
        var generated = Normalize(await OpenApiTestDocuments.AppDocumentJsonAsync("localhost:7071"));
        var snapshotPath = SnapshotPath();

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(snapshotPath, generated);
        }

        Assert.True(File.Exists(snapshotPath), $"No snapshot yet: run the tests once with {UpdateVariable}=1 and commit Docs/openapi.v3.json.");
        var committed = Normalize(await File.ReadAllTextAsync(snapshotPath));
        Assert.True(committed == generated,
            $"The OpenAPI document changed. If the change is intended, run with {UpdateVariable}=1 and commit Docs/openapi.v3.json.\n" + FirstDifference(committed, generated));
    }

    // The snapshot next to this source file is the one to rewrite; the copy in the build output covers builds with mapped source paths.
    private static string SnapshotPath([CallerFilePath] string thisFile = "")
    {
        var source = Path.Combine(Path.GetDirectoryName(thisFile)!, "openapi.v3.json");
        return Directory.Exists(Path.GetDirectoryName(source)) ? source : Path.Combine(AppContext.BaseDirectory, "Docs", "openapi.v3.json");
    }

    private static string Normalize(string json) => json.ReplaceLineEndings("\n").TrimEnd() + "\n";

    private static string FirstDifference(string committed, string generated)
    {
        var left = committed.Split('\n');
        var right = generated.Split('\n');
        for (var i = 0; i < Math.Max(left.Length, right.Length); i++)
        {
            var a = i < left.Length ? left[i] : "<end>";
            var b = i < right.Length ? right[i] : "<end>";
            if (a != b)
            {
                return $"First difference at line {i + 1}:\n  committed: {a.Trim()}\n  generated: {b.Trim()}";
            }
        }

        return string.Empty;
    }
}
