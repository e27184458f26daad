namespace QwenFunctions.Accounts;

/// <summary>How the pool's state is kept, for <c>/api/status</c>.</summary>
/// <param name="Shared">Health and bindings live in shared storage (several instances agree).</param>
/// <param name="BreakerOpen">Shared storage is failing and the app runs on local state for now.</param>
public sealed record StateStatusInfo(bool Shared, bool BreakerOpen);

/// <summary>Reports the state backend; the shared-state implementation replaces the in-memory one.</summary>
public interface IStateStatus
{
    StateStatusInfo Get();
}

public sealed class InMemoryStateStatus : IStateStatus
{
    private static readonly StateStatusInfo Local = new(Shared: false, BreakerOpen: false);

    public StateStatusInfo Get() => Local;
}
