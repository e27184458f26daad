using System.Text.RegularExpressions;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Architecture;

/// <summary>Comments cite files a reader of this repository can open, and sections that exist in them.</summary>
public sealed partial class CommentCitationTests
{
    [Fact]
    public void SourceComments_UpstreamCitations_NameSectionsOfDocsUpstream()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "upstream.md"));
        var sections = Heading().Matches(doc).Select(m => m.Groups[1].Value).ToHashSet();
        var problems = new List<string>();
        foreach (var file in Directory.EnumerateFiles(RepositoryRoot.Path, "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")))
        {
            var text = File.ReadAllText(file);
            var name = Path.GetRelativePath(RepositoryRoot.Path, file);
            if (text.Contains("qwen-upstream" + ".md", StringComparison.Ordinal) || text.Contains("shared/" + "docs", StringComparison.Ordinal))
            {
                problems.Add($"{name} cites a document outside the repository");
            }

            foreach (Match citation in Citation().Matches(text))
            {
                foreach (Match section in Section().Matches(citation.Value))
                {
                    var number = section.Groups[1].Value;
                    if (!sections.Contains(number))
                    {
                        problems.Add($"{name} cites docs/upstream.md §{number}, which has no such section");
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [GeneratedRegex(@"^(?:#+|-) §([0-9B](?:[0-9.]*[0-9])?)", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"docs/upstream\.md[^)\n]*")]
    private static partial Regex Citation();

    [GeneratedRegex(@"§([0-9B](?:[0-9.]*[0-9])?)")]
    private static partial Regex Section();
}
