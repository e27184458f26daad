namespace QwenFunctions.Chat;

/// <summary>A client message reduced to what the upstream can use: role, text, image and file inputs.</summary>
public sealed record ChatMessage(string Role, string Text, IReadOnlyList<string> ImageUrls, IReadOnlyList<string> FileRefs)
{
    public const string System = "system";
    public const string User = "user";
    public const string Assistant = "assistant";
    public const string Tool = "tool";
}
