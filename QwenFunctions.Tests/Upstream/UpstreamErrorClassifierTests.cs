using System.Net;
using QwenFunctions.Upstream;

namespace QwenFunctions.Tests.Upstream;

/// <summary>Classification of complete upstream answers (qwen-upstream.md §7).</summary>
public sealed class UpstreamErrorClassifierTests
{
    [Fact]
    public void Classify_RateLimitedInsideHttp200_IsRateLimitedWithNumHours()
    {
        var error = UpstreamErrorClassifier.Classify(HttpStatusCode.OK, 429, "application/json",
            """{"success":false,"request_id":"r","data":{"code":"RateLimited","details":"You've reached the upper limit for today's usage.","num":19}}""");

        Assert.Equal(UpstreamErrorKind.RateLimited, error!.Kind);
        Assert.Equal(19, error.RetryAfterHours);
    }

    [Fact]
    public void Classify_Http429FlatBody_IsRateLimitedWithNum()
    {
        var error = UpstreamErrorClassifier.Classify(HttpStatusCode.TooManyRequests, null, "application/json",
            """{"code":"RateLimited","detail":"limit","num":4}""");

        Assert.Equal(UpstreamErrorKind.RateLimited, error!.Kind);
        Assert.Equal(4, error.RetryAfterHours);
    }

    [Fact]
    public void Classify_Http429WithoutBody_IsRateLimited()
    {
        Assert.Equal(UpstreamErrorKind.RateLimited, UpstreamErrorClassifier.Classify(HttpStatusCode.TooManyRequests, null, null, "")!.Kind);
    }

    [Fact]
    public void Classify_UnauthorizedViaActualStatusHeader_IsUnauthorized()
    {
        var error = UpstreamErrorClassifier.Classify(HttpStatusCode.OK, 401, "application/json",
            """{"success":false,"data":{"code":"Unauthorized","details":"You are not authorized"}}""");

        Assert.Equal(UpstreamErrorKind.Unauthorized, error!.Kind);
        Assert.Equal(401, error.UpstreamStatus);
    }

    [Fact]
    public void Classify_WafJsonWithRet_IsWaf()
    {
        var error = UpstreamErrorClassifier.Classify(HttpStatusCode.OK, null, "application/json",
            """{"ret":["FAIL_SYS_USER_VALIDATE","RGV587_ERROR::SM::busy"],"data":{"url":"https://chat.qwen.ai/_____tmd_____/punish?x5secdata=1"}}""");

        Assert.Equal(UpstreamErrorKind.Waf, error!.Kind);
    }

    [Fact]
    public void Classify_WafHtmlPage_IsWaf()
    {
        var error = UpstreamErrorClassifier.Classify(HttpStatusCode.OK, null, "text/html",
            "<!DOCTYPE html><html><head><script src=\"https://g.alicdn.com/aliyun_waf/captcha.js\"></script></head><body>baxia punish</body></html>");

        Assert.Equal(UpstreamErrorKind.Waf, error!.Kind);
    }

    [Fact]
    public void Classify_DataInspectionFailed_IsContentFilter()
    {
        var error = UpstreamErrorClassifier.Classify(HttpStatusCode.OK, null, "application/json",
            """{"error":{"code":"data_inspection_failed","details":"内容安全警告：输入数据可能包含不适当的内容！"}}""");

        Assert.Equal(UpstreamErrorKind.ContentFilter, error!.Kind);
        Assert.Equal(FailureAction.Fail, UpstreamFailurePolicy.Decide(error.Kind));
    }

    [Fact]
    public void Classify_SuccessEnvelope_IsNull()
    {
        Assert.Null(UpstreamErrorClassifier.Classify(HttpStatusCode.OK, 200, "application/json", """{"success":true,"data":{"id":"c1"}}"""));
    }
}
