using Microsoft.DurableTask;
using Microsoft.DurableTask.Testing;

namespace QwenFunctions.Tests.Hosting;

public static class DurableTestHosts
{
    /// <summary>
    /// The test host picks a random port in 30000-40000 by default, which other test hosts running in parallel (here or
    /// in other worktrees) can hold; take a port the OS says is free, and try again if it was grabbed meanwhile.
    /// </summary>
    public static async Task<DurableTaskTestHost> StartAsync(Action<DurableTaskRegistry>? register = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await DurableTaskTestHost.StartAsync(register ?? (_ => { }), new DurableTaskTestHostOptions { Port = LoopbackPort.Free() });
            }
            catch (IOException) when (attempt < 5)
            {
                // Port taken between LoopbackPort.Free() and the bind.
            }
        }
    }
}
