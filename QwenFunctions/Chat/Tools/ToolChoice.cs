namespace QwenFunctions.Chat.Tools;

public enum ToolChoiceMode
{
    /// <summary>The model decides (the default).</summary>
    Auto,

    /// <summary>No tools: none is described to the model and its answer is not searched for calls.</summary>
    None,

    /// <summary>At least one call is expected.</summary>
    Required,

    /// <summary>A call of <see cref="ToolChoice.FunctionName"/> is expected.</summary>
    Named,
}

/// <summary>The client's tool choice, in the terms every surface maps to.</summary>
public sealed record ToolChoice(ToolChoiceMode Mode, string? FunctionName = null)
{
    public static readonly ToolChoice Auto = new(ToolChoiceMode.Auto);
    public static readonly ToolChoice None = new(ToolChoiceMode.None);
    public static readonly ToolChoice Required = new(ToolChoiceMode.Required);

    public static ToolChoice Named(string functionName) => new(ToolChoiceMode.Named, functionName);

    /// <summary>Required or named: an answer without a call does not satisfy the client.</summary>
    public bool DemandsCall => Mode is ToolChoiceMode.Required or ToolChoiceMode.Named;
}
