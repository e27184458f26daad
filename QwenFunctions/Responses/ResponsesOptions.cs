using System.ComponentModel.DataAnnotations;

namespace QwenFunctions.Responses;

/// <summary>Stored responses (GET /v1/responses/{id}, previous_response_id).</summary>
public sealed class ResponsesOptions : IValidatableObject
{
    public const string SectionName = "Responses";

    /// <summary>How long a stored response (and its conversation binding) can be read or continued. OpenAI keeps them 30 days.</summary>
    public TimeSpan StoreLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Responses one instance keeps in memory (oldest dropped past it); the shared table has no such cap.</summary>
    [Range(100, 1_000_000)]
    public int MaxInMemory { get; set; } = 10_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (StoreLifetime <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"Responses:StoreLifetime must be positive; got '{StoreLifetime}'.", [nameof(StoreLifetime)]);
        }
    }
}
