using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using QwenFunctions.Files;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Benchmarks;

internal sealed record UploadHeapResult(long FileBytes, long PeakHeapRise, long Allocated, HttpStatusCode Status)
{
    public double Ratio => PeakHeapRise / (double)FileBytes;

    /// <summary>Everything allocated during the upload: the heap cannot rise by more, whatever the GC's timing.</summary>
    public double AllocatedRatio => Allocated / (double)FileBytes;
}

/// <summary>
/// Peak managed heap while one 25 MB file goes through <c>POST /api/v1/files</c> (STS from the emulator, the OSS PUT
/// drained by a stub so the emulator's own copy of the object does not count). The client's copy of the file exists
/// before the baseline is taken. The sampled peak also holds garbage not yet collected (up to the GC's gen0 budget);
/// the bytes allocated during the upload bound the rise from above, whatever the GC's timing.
/// </summary>
internal static class UploadHeapBenchmark
{
    private const int FileBytes = 25 * 1000 * 1000;

    public static async Task<UploadHeapResult> RunAsync(Action<IServiceCollection> services)
    {
        await using var app = await EmulatedApp.StartAsync(accounts: 1, services: s =>
        {
            services(s);
            s.AddHttpClient<OssUploader>().ConfigurePrimaryHttpMessageHandler(() => new DrainingOssHandler());
        });
        var file = new byte[FileBytes];
        Random.Shared.NextBytes(file);
        using var warm = await UploadAsync(app, file.AsMemory(0, 1024));
        using var content = Multipart(file);
        await content.LoadIntoBufferAsync(); // the client's copy, made before the baseline

        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = baseline;
        using var stop = new CancellationTokenSource();
        var sampler = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                Thread.Sleep(1);
            }
        }) { IsBackground = true };
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        sampler.Start();
        using var response = await app.Http.PostAsync("api/v1/files", content);
        stop.Cancel();
        sampler.Join();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return new UploadHeapResult(FileBytes, peak - baseline, allocated, response.StatusCode);
    }

    private static async Task<HttpResponseMessage> UploadAsync(EmulatedApp app, ReadOnlyMemory<byte> bytes)
    {
        using var content = Multipart(bytes.ToArray());
        return await app.Http.PostAsync("api/v1/files", content);
    }

    private static MultipartFormDataContent Multipart(byte[] bytes)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        return new MultipartFormDataContent { { new StringContent("assistants"), "purpose" }, { file, "file", "big.pdf" } };
    }

    /// <summary>Reads the PUT body to the end in small pieces and answers 200, as OSS does.</summary>
    private sealed class DrainingOssHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is not null)
            {
                await using var body = await request.Content.ReadAsStreamAsync(cancellationToken);
                var buffer = new byte[16 * 1024];
                while (await body.ReadAsync(buffer, cancellationToken) > 0)
                {
                }
            }

            return new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request };
        }
    }
}
