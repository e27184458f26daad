using QwenFunctions.Tests.Emulator;

namespace QwenFunctions.Tests.Hosting;

/// <summary>App settings for a <see cref="FunctionsTestServer"/> in front of a <see cref="QwenEmulator"/>.</summary>
public static class TestSettings
{
    public static Dictionary<string, string?> For(QwenEmulator emulator, params string[] tokens) => new()
    {
        ["QWEN_BASE_URL"] = emulator.BaseAddress.ToString(),
        ["QWEN_TOKENS"] = tokens.Length == 0 ? null : string.Join(',', tokens),
        ["Qwen:OssEndpoint"] = emulator.OssEndpoint.ToString(),
        ["Qwen:Timeouts:FirstByte"] = "00:00:05",
        ["Qwen:Timeouts:Idle"] = "00:00:05",
    };

    public static Dictionary<string, string?> With(this Dictionary<string, string?> settings, string key, string? value)
    {
        settings[key] = value;
        return settings;
    }
}
