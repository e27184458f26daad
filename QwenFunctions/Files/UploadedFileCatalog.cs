using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using QwenFunctions.Accounts;

namespace QwenFunctions.Files;

/// <summary>
/// Where an uploaded file is remembered. Its owner account and its details (<see cref="UploadedFile.ToStored"/>) go to
/// the caller-scoped binding store, so the id works on every instance, for as long as the binding lives, and only for
/// the caller that uploaded it. This instance also keeps, for <see cref="FilesOptions.VisionCacheLifetime"/>, the file
/// as the upstream answered it (URL with its signature) and the upload of given bytes per account (so the same image
/// is not uploaded twice).
/// </summary>
public sealed class UploadedFileCatalog(IMemoryCache cache, IAccountBindingStore bindings, IOptionsMonitor<FilesOptions> options)
{
    public async Task RememberAsync(UploadedFile file, string? contentHash, CancellationToken cancellationToken)
    {
        await bindings.BindAsync(BindingKind.File, file.FileId, file.AccountId, cancellationToken);
        await bindings.BindAsync(BindingKind.FileDetails, file.FileId, file.ToStored(), cancellationToken);
        var lifetime = options.CurrentValue.VisionCacheLifetime;
        cache.Set(IdKey(file.FileId), file, lifetime);
        if (contentHash is not null)
        {
            cache.Set(HashKey(file.AccountId, contentHash), file, lifetime);
        }
    }

    /// <summary>The caller's file <paramref name="fileId"/>; null when the caller has no such file (another caller's included).</summary>
    public async Task<UploadedFile?> FindAsync(string fileId, CancellationToken cancellationToken)
    {
        // The shared, caller-scoped row decides whether the caller may use the id; this instance's copy, when it has
        // one, is what the upstream answered (its URL still signed).
        var shared = UploadedFile.FromStored(fileId, await bindings.FindAccountAsync(BindingKind.FileDetails, fileId, cancellationToken));
        return shared is not null && cache.TryGetValue(IdKey(fileId), out UploadedFile? local) && local!.AccountId == shared.AccountId
            ? local
            : shared;
    }

    public UploadedFile? FindByContent(string accountId, string contentHash) =>
        cache.TryGetValue(HashKey(accountId, contentHash), out UploadedFile? file) ? file : null;

    private static string IdKey(string fileId) => "qwen-file:id:" + fileId;

    private static string HashKey(string accountId, string hash) => $"qwen-file:sha256:{accountId}:{hash}";
}
