using QwenFunctions.Files;

namespace QwenFunctions.Tests.Media;

public sealed class OssV1SignerTests
{
    // Published vectors: aliyun/alibabacloud-oss-java-sdk-v2, src/test/java/com/aliyun/sdk/service/oss2/signer/SignerV1Test.java
    // (testAuthHeader1 and testAuthHeader2): AccessKeyId "ak", secret "sk", the x-oss-date value doubling as the Date line.
    [Theory]
    [InlineData("/examplebucket/nelson", "kSHKmLxlyEAKtZPkJhG9bZb5k7M=")]
    [InlineData("/examplebucket/nelson?acl", "/afkugFbmWDQ967j1vr6zygBLQk=")]
    public void BuildStringToSign_AlibabaSdkVector_MatchesPublishedStringAndSignature(string resource, string expectedSignature)
    {
        const string date = "Wed, 28 Dec 2022 10:27:41 GMT";
        var headers = new Dictionary<string, string>
        {
            ["x-oss-meta-magic"] = "abracadabra",
            ["X-OSS-Meta-Author"] = "alice",
            ["x-oss-date"] = date,
            ["Content-Type"] = "text/html", // not an x-oss header: never canonicalized
        };

        var stringToSign = OssV1Signer.BuildStringToSign("PUT", "eB5eJF1ptWaXm4bijSPyxw==", "text/html", date, headers, resource);

        Assert.Equal(
            "PUT\neB5eJF1ptWaXm4bijSPyxw==\ntext/html\nWed, 28 Dec 2022 10:27:41 GMT\nx-oss-date:Wed, 28 Dec 2022 10:27:41 GMT\n"
            + "x-oss-meta-author:alice\nx-oss-meta-magic:abracadabra\n" + resource,
            stringToSign);
        Assert.Equal($"OSS ak:{expectedSignature}", OssV1Signer.AuthorizationHeader("ak", "sk", stringToSign));
    }

    [Fact]
    public void BuildStringToSign_StsUpload_HasEmptyMd5AndSecurityTokenLine()
    {
        var stringToSign = OssV1Signer.BuildStringToSign("PUT", null, "image/png", "Thu, 26 Nov 2026 12:00:00 GMT",
            [new("x-oss-security-token", "CAIS-token")], "/qwen-webui-prod/u1/f1_cat.png");

        Assert.Equal("PUT\n\nimage/png\nThu, 26 Nov 2026 12:00:00 GMT\nx-oss-security-token:CAIS-token\n/qwen-webui-prod/u1/f1_cat.png", stringToSign);
    }
}
