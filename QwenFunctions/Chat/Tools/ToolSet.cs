namespace QwenFunctions.Chat.Tools;

/// <summary>The tools of one request: what is offered, what is expected, and whether several calls may come at once.</summary>
public sealed record ToolSet(IReadOnlyList<ToolDefinition> Tools, ToolChoice Choice, bool ParallelCalls = true)
{
    public static readonly ToolSet Empty = new([], ToolChoice.Auto);

    /// <summary>True when tools are described to the model and its answer is searched for calls.</summary>
    public bool Active => Choice.Mode != ToolChoiceMode.None && Offered.Count > 0;

    /// <summary>The tools the model may call: all of them, only the named one, or none.</summary>
    public IReadOnlyList<ToolDefinition> Offered => Choice.Mode switch
    {
        ToolChoiceMode.None => [],
        ToolChoiceMode.Named => Tools.Where(t => t.Name == Choice.FunctionName).ToArray(),
        _ => Tools,
    };

    public ToolDefinition? Find(string name) => Offered.FirstOrDefault(t => t.Name == name);

    /// <summary>Why the set cannot be honoured (a surface answers it as a 400 in its own shape), or null.</summary>
    public string? Problem()
    {
        if (Tools.FirstOrDefault(t => string.IsNullOrWhiteSpace(t.Name)) is not null)
        {
            return "Every tool needs a name.";
        }

        if (Tools.GroupBy(t => t.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            return $"Tool '{twice.Key}' is defined twice.";
        }

        if (Choice.Mode == ToolChoiceMode.Named && Offered.Count == 0)
        {
            return $"The tool choice names '{Choice.FunctionName}', which is not one of the tools.";
        }

        if (Choice.DemandsCall && Tools.Count == 0)
        {
            return "A required tool choice needs at least one tool.";
        }

        return null;
    }
}
