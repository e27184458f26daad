using System.Net;
using QwenFunctions.Upstream;

namespace QwenFunctions.Tests.Upstream;

/// <summary>Classification of complete upstream answers (docs/upstream.md §7).</summary>
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

/// <summary>Only the upstream's own credential answers make a token invalid (docs/upstream.md §7, §10.1).</summary>
public sealed class StrictUnauthorizedClassificationTests
{
    [Theory]
    [InlineData(HttpStatusCode.OK, null, """{"code":"unauthorized"}""")]
    [InlineData(HttpStatusCode.OK, 401, """{"success":false,"data":{"code":"Unauthorized","details":"Token has expired"}}""")]
    [InlineData(HttpStatusCode.Unauthorized, null, """{"success":false,"data":{"code":"Unauthorized","details":"You are not authorized"}}""")]
    [InlineData(HttpStatusCode.Unauthorized, null, "")]
    public void Classify_UpstreamCredentialAnswer_IsUnauthorized(HttpStatusCode http, int? actual, string body)
    {
        Assert.Equal(UpstreamErrorKind.Unauthorized, UpstreamErrorClassifier.Classify(http, actual, "application/json", body)!.Kind);
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, null, "application/json", """{"success":false,"data":{"code":"Bad_Request","details":"Unauthorized access to the attachment"}}""")]
    [InlineData(HttpStatusCode.OK, null, "application/json", """{"error":"Unauthorized upstream model service"}""")]
    [InlineData(HttpStatusCode.Unauthorized, null, "text/html", "<html><body><h1>401 Authorization Required</h1>nginx</body></html>")]
    [InlineData(HttpStatusCode.Unauthorized, null, "application/json", """{"statusCode":401,"message":"Access denied due to missing subscription key."}""")]
    [InlineData(HttpStatusCode.Forbidden, null, "application/json", """{"message":"Forbidden"}""")]
    [InlineData(HttpStatusCode.Forbidden, null, "text/html", "<html><body>403 Forbidden Unauthorized</body></html>")]
    public void Classify_FreeTextOrGatewayAnswer_IsNeverUnauthorized(HttpStatusCode http, int? actual, string mediaType, string body)
    {
        var error = UpstreamErrorClassifier.Classify(http, actual, mediaType, body);

        Assert.NotNull(error);
        Assert.NotEqual(UpstreamErrorKind.Unauthorized, error.Kind);
        Assert.NotEqual(FailureAction.InvalidateAndRotate, UpstreamFailurePolicy.Decide(error.Kind));
    }

    [Theory]
    [InlineData("Bad_Request", "The chat is in progress!", UpstreamErrorKind.ChatInProgress)]
    [InlineData("Bad_Request", "Chat is still in progress", UpstreamErrorKind.ChatInProgress)]
    [InlineData("Bad_Request", "Invalid input chat parent_id 8a14 is not exist.", UpstreamErrorKind.ParentNotFound)]
    [InlineData("PARENT_NOT_FOUND", "parent missing", UpstreamErrorKind.ParentNotFound)]
    [InlineData("Bad_Request", "Internal error...", UpstreamErrorKind.Transient)]
    [InlineData("Bad_Request", "The request is missing the required 'version' header.", UpstreamErrorKind.BadRequest)]
    public void Classify_2026Envelopes_MapToTheirMeaning(string code, string details, UpstreamErrorKind expected)
    {
        var body = $$$"""{"success":false,"request_id":"r","data":{"code":"{{{code}}}","details":"{{{details}}}"}}""";

        Assert.Equal(expected, UpstreamErrorClassifier.Classify(HttpStatusCode.OK, 400, "application/json", body)!.Kind);
    }

    [Fact]
    public void ClassifyJson_InStreamQuotaError_IsRateLimited()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(
            """{"error":{"code":"internal_error","details":"Allocated quota exceeded, please increase your quota limit."},"response_id":"r1","response_index":0}""");

        Assert.Equal(UpstreamErrorKind.RateLimited, UpstreamErrorClassifier.ClassifyJson(doc.RootElement)!.Kind);
    }
}
