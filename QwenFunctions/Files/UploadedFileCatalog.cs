using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace QwenFunctions.Files;

/// <summary>
/// What this instance knows about files it uploaded: metadata by file id (so chats can refer to an id alone) and the
/// upload of given bytes per account (so the same image is not uploaded twice). Ownership itself lives in
/// IAccountBindingStore, which outlives this cache.
/// </summary>
public sealed class UploadedFileCatalog(IMemoryCache cache, IOptionsMonitor<FilesOptions> options)
{
    public void Remember(UploadedFile file, string? contentHash = null)
    {
        var lifetime = options.CurrentValue.VisionCacheLifetime;
        cache.Set(IdKey(file.FileId), file, lifetime);
        if (contentHash is not null)
        {
            cache.Set(HashKey(file.AccountId, contentHash), file, lifetime);
        }
    }

    public UploadedFile? FindById(string fileId) => cache.TryGetValue(IdKey(fileId), out UploadedFile? file) ? file : null;

    public UploadedFile? FindByContent(string accountId, string contentHash) =>
        cache.TryGetValue(HashKey(accountId, contentHash), out UploadedFile? file) ? file : null;

    private static string IdKey(string fileId) => "qwen-file:id:" + fileId;

    private static string HashKey(string accountId, string hash) => $"qwen-file:sha256:{accountId}:{hash}";
}
