namespace QwenFunctions.Tests.Emulator;

/// <summary>
/// Holds one completion stream after its first content delta (answer or image) until <see cref="Release"/>.
/// Made by <see cref="QwenEmulator.PauseAfterFirstAnswerDelta"/>; lets a test prove that bytes reach the client
/// while the upstream is still streaming.
/// </summary>
public sealed class StreamGate
{
    private readonly TaskCompletionSource _firstDelta = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal StreamGate(string? token) => Token = token;

    /// <summary>Only streams of this token are gated (null: the next stream of any token).</summary>
    public string? Token { get; }

    /// <summary>Completes once the first content delta has been written and flushed.</summary>
    public Task FirstDeltaSent => _firstDelta.Task;

    /// <summary>Let the held stream continue.</summary>
    public void Release() => _released.TrySetResult();

    internal void SignalFirstDelta() => _firstDelta.TrySetResult();

    internal Task WaitAsync(CancellationToken cancellationToken) => _released.Task.WaitAsync(cancellationToken);
}
