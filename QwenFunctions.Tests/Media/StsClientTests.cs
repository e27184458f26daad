using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using QwenFunctions.Accounts;
using QwenFunctions.Tests.Hosting;
using QwenFunctions.Upstream;

namespace QwenFunctions.Tests.Media;

public sealed class StsClientTests
{
    [Fact]
    public async Task GetStsTokenAsync_V2Unknown_FallsBackToV1AndReadsTheFlatShape()
    {
        var paths = new List<string>();
        var handler = new FuncHandler(request =>
        {
            paths.Add(request.RequestUri!.AbsolutePath);
            return request.RequestUri.AbsolutePath.Contains("/v2/")
                ? Json("""{"success":false,"request_id":"r1","data":{"code":"Not_Found","details":"Not Found"}}""", actual: 404)
                : Json("""{"access_key_id":"STS.k","access_key_secret":"s","security_token":"CAIS","bucketname":"qwen-webui-prod","region":"ap-southeast-1","file_id":"f1","file_path":"qwen-webui-prod/u1/f1_cat.png","file_url":"https://x/y"}""");
        });
        var client = new QwenApiClient(new HttpClient(handler) { BaseAddress = new Uri("https://chat.example/") }, TimeProvider.System, NullLogger<QwenApiClient>.Instance);

        var grant = await client.GetStsTokenAsync(new QwenAccount("t", null, 0), "cat.png", 10, "image", CancellationToken.None);

        Assert.Equal(["/api/v2/files/getstsToken", "/api/v1/files/getstsToken"], paths);
        Assert.Equal("u1/f1_cat.png", grant.FilePath);
        Assert.Equal("qwen-webui-prod.oss-ap-southeast-1.aliyuncs.com", grant.Host);
    }

    [Fact]
    public async Task GetStsTokenAsync_V2Wrapped_ReadsDataAndUsesTheEndpointField()
    {
        var handler = new FuncHandler(_ => Json("""{"success":true,"request_id":"r","data":{"access_key_id":"STS.k","access_key_secret":"s","security_token":"CAIS","bucketname":"qwen-webui-prod","region":"oss-ap-southeast-1","endpoint":"oss-accelerate.aliyuncs.com","file_id":"f2","file_path":"u1/f2_a.pdf","file_url":"https://x/z"}}"""));
        var client = new QwenApiClient(new HttpClient(handler) { BaseAddress = new Uri("https://chat.example/") }, TimeProvider.System, NullLogger<QwenApiClient>.Instance);

        var grant = await client.GetStsTokenAsync(new QwenAccount("t", null, 0), "a.pdf", 10, "document", CancellationToken.None);

        Assert.Equal("f2", grant.FileId);
        Assert.Equal("qwen-webui-prod.oss-accelerate.aliyuncs.com", grant.Host);
    }

    private static HttpResponseMessage Json(string body, int? actual = null)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (actual is not null)
        {
            response.Headers.Add("x-actual-status-code", actual.ToString());
        }

        return response;
    }
}
