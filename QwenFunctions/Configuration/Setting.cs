namespace QwenFunctions.Configuration;

public static class Setting
{
    /// <summary>A setting or request field that may be absent, blank or padded: its trimmed value, or null.</summary>
    public static string? Value(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
