using System.ComponentModel.DataAnnotations;

namespace QwenFunctions.Files;

/// <summary>Uploads, remote image downloads and the vision cache (section "Files").</summary>
public sealed class FilesOptions : IValidatableObject
{
    public const string SectionName = "Files";

    /// <summary>Largest accepted upload; bigger bodies get 413 before they are read to the end. The seed allows 25 MB.</summary>
    [Range(1, 1024L * 1024 * 1024)]
    public long MaxUploadBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>
    /// Comma-separated content types accepted for upload; "image/*" style wildcards allowed. A string, not a list, so an
    /// app setting replaces the defaults instead of being appended to them.
    /// </summary>
    [Required]
    public string AllowedContentTypes { get; set; } =
        "image/*,audio/*,video/*,text/*,application/pdf,application/json,application/msword,application/rtf,"
        + "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
        + "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
        + "application/vnd.openxmlformats-officedocument.presentationml.presentation,"
        + "application/vnd.ms-excel,application/vnd.ms-powerpoint";

    /// <summary>Cap on an image we download (remote image_url, b64_json of generated images) or decode from a data: URI.</summary>
    [Range(1, 512L * 1024 * 1024)]
    public long MaxDownloadBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>
    /// Image and file parts one chat request may send upstream (URLs, data: URIs and file ids alike; earlier turns'
    /// attachments are only mentioned in the transcript and not counted). More: 400 too_many_attachments. Each part can
    /// cost a download and an upload per account tried; 16 covers a screenshot-heavy agent turn.
    /// </summary>
    [Range(1, 1000)]
    public int MaxAttachmentsPerRequest { get; set; } = 16;

    /// <summary>
    /// Bytes one chat request may download or decode for its attachments, all parts together (uploaded file ids and
    /// images on Qwen's storage cost nothing here). More: 413 attachments_too_large, as soon as the running total
    /// passes it. Two full-size images (MaxDownloadBytes each) and change.
    /// </summary>
    [Range(1, 4L * 1024 * 1024 * 1024)]
    public long MaxAttachmentBytesPerRequest { get; set; } = 50L * 1024 * 1024;

    /// <summary>Whole-download timeout (connect, headers and body).</summary>
    public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Lets downloads reach loopback, private and link-local addresses and plain http. Off in production
    /// (server-side request forgery); tests and local simulators turn it on.
    /// </summary>
    public bool AllowPrivateNetworkDownloads { get; set; }

    /// <summary>Comma-separated hosts of Qwen's own storage: image URLs there go upstream as they are ("*.example.com" matches subdomains).</summary>
    public string TrustedImageHosts { get; set; } =
        "cdn.qwenlm.ai,*.qwenlm.ai,qwen-webui-prod.oss-accelerate.aliyuncs.com,qwen-webui-prod.oss-ap-southeast-1.aliyuncs.com,"
        + "qwen-chat.oss-ap-southeast-1.aliyuncs.com";

    /// <summary>
    /// Serves the seed's POST /api/files/getstsToken, which hands a client upload credentials for one file (checked
    /// against MaxUploadBytes and AllowedContentTypes first). On by default for seed compatibility; off: 404.
    /// </summary>
    public bool EnableStsPassThrough { get; set; } = true;

    /// <summary>Pause between document parse-status polls.</summary>
    public TimeSpan ParsePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Parse-status polls before the upload is answered anyway (the parse goes on upstream).</summary>
    [Range(1, 120)]
    public int ParseMaxPolls { get; set; } = 10;

    /// <summary>Timeout of the PUT to OSS.</summary>
    public TimeSpan OssTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>How long an uploaded image is reused for the same bytes on the same account instead of uploading again.</summary>
    public TimeSpan VisionCacheLifetime { get; set; } = TimeSpan.FromHours(12);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[] { (nameof(DownloadTimeout), DownloadTimeout), (nameof(ParsePollInterval), ParsePollInterval), (nameof(OssTimeout), OssTimeout), (nameof(VisionCacheLifetime), VisionCacheLifetime) })
        {
            if (value <= TimeSpan.Zero)
            {
                yield return new ValidationResult($"Files:{name} must be positive; got '{value}'.", [name]);
            }
        }

        if (AllowedContentTypeList.Count == 0)
        {
            yield return new ValidationResult("Files:AllowedContentTypes must list at least one type.", [nameof(AllowedContentTypes)]);
        }
    }

    public IReadOnlyList<string> AllowedContentTypeList => Split(AllowedContentTypes);

    public IReadOnlyList<string> TrustedImageHostList => Split(TrustedImageHosts);

    private static string[] Split(string? csv) =>
        string.IsNullOrWhiteSpace(csv) ? [] : csv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
