using System.ComponentModel.DataAnnotations;

namespace QwenFunctions.State;

/// <summary>
/// Shared state (account health, conversation/file bindings, client limits) in Azure Table Storage.
/// The storage account is the app's own AzureWebJobsStorage unless <see cref="ConnectionString"/> or <see cref="ServiceUri"/> says otherwise.
/// </summary>
public sealed class StateOptions : IValidatableObject
{
    public const string SectionName = "State";

    /// <summary>Share state through Table Storage. Unset: on when AzureWebJobsStorage (or a State connection) is configured.</summary>
    public bool? Enabled { get; set; }

    /// <summary>A storage connection string for another account (or Azurite). Overrides AzureWebJobsStorage.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>A table service URI reached with a managed identity / DefaultAzureCredential (State:ClientId picks a user-assigned identity).</summary>
    public string? ServiceUri { get; set; }

    /// <summary>Client id of a user-assigned managed identity used with <see cref="ServiceUri"/>.</summary>
    public string? ClientId { get; set; }

    /// <summary>Table names are this prefix + Health, Bindings, Limits. Letters and digits only (a table name rule).</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{0,40}$")]
    public string TableNamePrefix { get; set; } = "qwen";

    /// <summary>How long one instance trusts its copy of an account's health before reading the table again.</summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Upper bound on one storage call, so a slow store never holds a chat request for long.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>ETag conflicts retried before a health update gives up on the table (and lands in memory only).</summary>
    [Range(1, 1000)]
    public int MaxConflictRetries { get; set; } = 100;

    /// <summary>
    /// How long an instance asked about an unknown chat or file polls the table for its binding: the instance that
    /// made it writes it behind its request, so a fast continuation can arrive first.
    /// </summary>
    public TimeSpan BindingWaitTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Writes held in memory for the table (behind requests, or during an outage); past this the oldest is dropped.</summary>
    [Range(1, 10_000_000)]
    public int MaxUnsyncedWrites { get; set; } = 50_000;

    public BreakerSettings Breaker { get; set; } = new();

    public ClientLimitSettings ClientLimits { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[] { (nameof(CacheTtl), CacheTtl), (nameof(OperationTimeout), OperationTimeout), ("Breaker:BreakDuration", Breaker.BreakDuration), (nameof(BindingWaitTimeout), BindingWaitTimeout) })
        {
            if (value < TimeSpan.Zero || (value == TimeSpan.Zero && name is not (nameof(CacheTtl) or nameof(BindingWaitTimeout))))
            {
                yield return new ValidationResult($"State:{name} must be positive; got '{value}'.", [name]);
            }
        }

        if (ServiceUri is { Length: > 0 } && !Uri.TryCreate(ServiceUri, UriKind.Absolute, out _))
        {
            yield return new ValidationResult($"State:ServiceUri must be an absolute URL; got '{ServiceUri}'.", [nameof(ServiceUri)]);
        }

        if (Breaker.FailureThreshold < 1)
        {
            yield return new ValidationResult("State:Breaker:FailureThreshold must be at least 1.", ["Breaker"]);
        }

        if (ClientLimits.RequestsPerMinute is < 1 || ClientLimits.MaxConcurrentStreams is < 1)
        {
            yield return new ValidationResult("State:ClientLimits values must be at least 1 (leave unset for no limit).", [nameof(ClientLimits)]);
        }
    }
}

/// <summary>Storage failures in a row that open the breaker, and how long it stays open before one probe.</summary>
public sealed class BreakerSettings
{
    public int FailureThreshold { get; set; } = 5;

    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Per API key limits, enforced whether or not state is shared (counted locally when it is not).</summary>
public sealed class ClientLimitSettings
{
    /// <summary>Requests per calendar minute per API key. Unset: no limit.</summary>
    public int? RequestsPerMinute { get; set; }

    /// <summary>Streaming responses open at once per API key. Unset: no limit.</summary>
    public int? MaxConcurrentStreams { get; set; }

    /// <summary>How long a stream slot counted by another instance is trusted without a refresh (covers crashed instances).</summary>
    public TimeSpan StreamSlotLifetime { get; set; } = TimeSpan.FromMinutes(15);
}
