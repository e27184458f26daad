namespace QwenFunctions.Tests.Emulator;

/// <summary>
/// Scripted faults. One-shot faults are consumed, in order, by the next request that matches their token and endpoint
/// filters; sticky faults apply to every matching request of one token until cleared. One-shot faults are checked first.
/// </summary>
public sealed class EmulatorFaults
{
    private readonly object _gate = new();
    private readonly List<Entry> _queue = [];
    private readonly Dictionary<string, Entry> _sticky = new(StringComparer.Ordinal);

    /// <summary>Queue a one-shot fault. <paramref name="token"/> null matches any token (and anonymous requests).</summary>
    public void Enqueue(Fault fault, string? token = null, EmulatorEndpoint endpoint = EmulatorEndpoint.Any)
    {
        lock (_gate) { _queue.Add(new Entry(fault, token, endpoint)); }
    }

    /// <summary>Apply <paramref name="fault"/> to every request of <paramref name="token"/> on <paramref name="endpoint"/>.</summary>
    public void SetSticky(string token, Fault fault, EmulatorEndpoint endpoint = EmulatorEndpoint.Any)
    {
        lock (_gate) { _sticky[token] = new Entry(fault, token, endpoint); }
    }

    /// <summary>Remove the sticky fault of <paramref name="token"/>.</summary>
    public void ClearSticky(string token)
    {
        lock (_gate) { _sticky.Remove(token); }
    }

    /// <summary>Remove every queued and sticky fault.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _queue.Clear();
            _sticky.Clear();
        }
    }

    /// <summary>One-shot faults not consumed yet.</summary>
    public int Pending { get { lock (_gate) { return _queue.Count; } } }

    internal Fault? Take(string? token, EmulatorEndpoint endpoint)
    {
        lock (_gate)
        {
            var index = _queue.FindIndex(e => e.Matches(token, endpoint));
            if (index >= 0)
            {
                var entry = _queue[index];
                _queue.RemoveAt(index);
                return entry.Fault;
            }
            return token is not null && _sticky.TryGetValue(token, out var sticky) && sticky.Matches(token, endpoint)
                ? sticky.Fault
                : null;
        }
    }

    private sealed record Entry(Fault Fault, string? Token, EmulatorEndpoint Endpoint)
    {
        public bool Matches(string? token, EmulatorEndpoint endpoint) =>
            (Token is null || Token == token) && (Endpoint & endpoint) != 0;
    }
}
