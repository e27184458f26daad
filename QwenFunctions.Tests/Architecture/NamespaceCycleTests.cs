using System.Text.RegularExpressions;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Architecture;

/// <summary>
/// Dependencies between the app's top-level folders run one way (functions -> surface adapters -> chat pipeline ->
/// accounts/upstream): a namespace that imports, directly or through others, a namespace that imports it is a cycle.
/// </summary>
public sealed partial class NamespaceCycleTests
{
    [Fact]
    public void TopLevelNamespaces_ImportEachOther_InNoCycle()
    {
        var graph = ImportGraph(Path.Combine(RepositoryRoot.Path, "QwenFunctions"));

        var cycles = Cycles(graph).Select(c => string.Join(" -> ", c.Append(c[0]))).ToList();

        Assert.True(graph.Count > 5, "The scan found too few namespaces to mean anything.");
        Assert.True(cycles.Count == 0, "Namespace cycles: " + string.Join("; ", cycles));
    }

    [Fact]
    public void Cycles_OfAnyLength_AreFound()
    {
        var graph = new Dictionary<string, HashSet<string>>
        {
            ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"], ["D"] = ["A"], ["E"] = ["E2"], ["E2"] = ["E"],
        };

        var cycles = Cycles(graph).Select(c => string.Join(",", c.Order())).ToHashSet();

        Assert.Equal(new HashSet<string> { "A,B,C", "E,E2" }, cycles);
    }

    /// <summary>Top-level namespace (QwenFunctions.X) -> the top-level namespaces its files use or name in full.</summary>
    private static Dictionary<string, HashSet<string>> ImportGraph(string appFolder)
    {
        var graph = new Dictionary<string, HashSet<string>>();
        foreach (var file in Directory.EnumerateFiles(appFolder, "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")))
        {
            var text = File.ReadAllText(file);
            if (NamespaceLine().Match(text) is not { Success: true } ns)
            {
                continue;
            }

            var from = ns.Groups[1].Value;
            var targets = graph.TryGetValue(from, out var set) ? set : graph[from] = [];
            foreach (Match use in Reference().Matches(text))
            {
                if (use.Groups[1].Value != from)
                {
                    targets.Add(use.Groups[1].Value);
                }
            }
        }

        return graph;
    }

    /// <summary>The strongly connected components with more than one namespace (Tarjan), each one cycle or more.</summary>
    private static List<List<string>> Cycles(Dictionary<string, HashSet<string>> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var result = new List<List<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            foreach (var next in graph.GetValueOrDefault(node, []))
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (stack.Contains(next))
                {
                    low[node] = Math.Min(low[node], index[next]);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    component.Add(member);
                }
                while (member != node);

                if (component.Count > 1)
                {
                    component.Reverse();
                    result.Add(component);
                }
            }
        }

        foreach (var node in graph.Keys.ToList())
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return result;
    }

    [GeneratedRegex(@"^namespace QwenFunctions\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    // using QwenFunctions.X; using static QwenFunctions.X.Y; and fully qualified QwenFunctions.X.Type in code.
    [GeneratedRegex(@"\bQwenFunctions\.(\w+)\.?")]
    private static partial Regex Reference();
}
