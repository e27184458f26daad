using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace QwenFunctions.Tests.Emulator;

/// <summary>Bodies shared by several endpoints (§5 envelope, §7 error shapes).</summary>
internal static class EmulatorJson
{
    // Upstream sends CJK text unescaped; keep it that way so byte-level assertions match captures.
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(JsonNode node) => node.ToJsonString(Options);

    public static JsonObject Success(string requestId, JsonNode? data) =>
        new() { ["success"] = true, ["request_id"] = requestId, ["data"] = data };

    public static JsonObject Failure(string requestId, string code, string details) =>
        new()
        {
            ["success"] = false,
            ["request_id"] = requestId,
            ["data"] = new JsonObject { ["code"] = code, ["details"] = details },
        };

    public static JsonObject RateLimited(string requestId, int num)
    {
        var body = Failure(requestId, "RateLimited", "You've reached the upper limit for today's usage.");
        var data = body["data"]!.AsObject();
        data["template"] = "You have reached the daily usage limit. Please wait {{num}} hours before trying again.";
        data["num"] = num;
        return body;
    }

    public static JsonObject WafJson() =>
        new()
        {
            ["ret"] = new JsonArray("FAIL_SYS_USER_VALIDATE", "RGV587_ERROR::SM::哎哟喂,被挤爆啦,请稍后重试"),
            ["data"] = new JsonObject
            {
                ["url"] = "https://chat.qwen.ai:443//api/v2/chat/completions/_____tmd_____/punish?x5secdata=xd1emulated&x5step=2&action=captcha&pureCaptcha=",
            },
        };

    public const string WafHtml = """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>验证码拦截</title>
        <script src="https://g.alicdn.com/AWSC/AWSC/awsc.js"></script>
        <script>window._config_ = {"action":"captcha","url":"/_____tmd_____/punish?x5secdata=xd1emulated","baxia":true};</script>
        </head><body><div id="aliyun_waf_captcha" class="aliyun_waf">
        <div id="nc_1_wrapper">请拖动下方滑块完成验证 (slider captcha, x5sec)</div>
        </div></body></html>
        """;

    public static JsonObject StreamError(string code, string details) =>
        new() { ["error"] = new JsonObject { ["code"] = code, ["details"] = details } };

    public static string? GetString(JsonNode? node, string name) =>
        node is JsonObject o && o.TryGetPropertyValue(name, out var v) && v is JsonValue value && value.TryGetValue<string>(out var s)
            ? s
            : null;

    public static bool? GetBool(JsonNode? node, string name) =>
        node is JsonObject o && o.TryGetPropertyValue(name, out var v) && v is JsonValue value && value.TryGetValue<bool>(out var b)
            ? b
            : null;

    public static JsonElement ToElement(JsonNode? node) => JsonSerializer.SerializeToElement(node, Options);
}
