namespace QwenFunctions.Accounts;

/// <summary>One instance, no storage: rotated tokens and leases in memory (a restart falls back to the configured tokens).</summary>
public sealed class InMemoryRefreshTokenStore(TimeProvider time) : IRefreshTokenStore
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public ValueTask<RefreshLeaseResult> TryLeaseAsync(string accountId, string holder, DateTimeOffset until, CancellationToken cancellationToken)
    {
        lock (_entries)
        {
            var entry = Get(accountId);
            if (entry.Holder is not null && entry.Holder != holder && entry.LeaseUntil > time.GetUtcNow())
            {
                return ValueTask.FromResult(RefreshLeaseResult.Busy(entry.LeaseUntil.Value));
            }

            entry.Holder = holder;
            entry.LeaseUntil = until;
            return ValueTask.FromResult(new RefreshLeaseResult(new RefreshLease(accountId, holder, until, entry.Token), null));
        }
    }

    public ValueTask ReleaseAsync(RefreshLease lease, RefreshOutcome? outcome, CancellationToken cancellationToken)
    {
        lock (_entries)
        {
            var entry = Get(lease.AccountId);
            // A rotated token is kept even when the lease ran out meanwhile: it is the only one that still works.
            if (outcome is not null)
            {
                entry.Token = outcome.RotatedRefreshToken ?? entry.Token;
                entry.Record = entry.Record.After(outcome);
            }

            if (entry.Holder == lease.Holder)
            {
                entry.Holder = null;
                entry.LeaseUntil = null;
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<RefreshRecord> GetRecordAsync(string accountId, CancellationToken cancellationToken)
    {
        lock (_entries)
        {
            return ValueTask.FromResult(_entries.TryGetValue(accountId, out var entry) ? entry.Record : RefreshRecord.None);
        }
    }

    private Entry Get(string accountId) => _entries.TryGetValue(accountId, out var entry) ? entry : _entries[accountId] = new Entry();

    private sealed class Entry
    {
        public string? Token { get; set; }

        public string? Holder { get; set; }

        public DateTimeOffset? LeaseUntil { get; set; }

        public RefreshRecord Record { get; set; } = RefreshRecord.None;
    }
}
