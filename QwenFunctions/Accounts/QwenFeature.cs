namespace QwenFunctions.Accounts;

/// <summary>Upstream quotas are per feature: a day's video limit must not stop chat.</summary>
public enum QwenFeature
{
    Chat,
    Image,
    Video,
}
