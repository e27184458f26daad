using System.ComponentModel.DataAnnotations;
using QwenFunctions.Upstream;

namespace QwenFunctions.Images;

/// <summary>Image generation (section "Images").</summary>
public sealed class ImagesOptions
{
    public const string SectionName = "Images";

    /// <summary>Model for t2i when the request names none (or an OpenAI name such as dall-e-3). Empty: Qwen:DefaultModel, then the first upstream model that can draw.</summary>
    public string? DefaultModel { get; set; }

    /// <summary>Aspect ratio when the request gives no size.</summary>
    [RegularExpression(AspectRatios.Pattern)]
    public string DefaultSize { get; set; } = "1:1";

    /// <summary>Upper bound on `n`; each upstream generation takes 10–60 s.</summary>
    [Range(1, 10)]
    public int MaxImagesPerRequest { get; set; } = 4;
}
