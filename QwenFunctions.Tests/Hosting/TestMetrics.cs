using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using QwenFunctions.Telemetry;

namespace QwenFunctions.Tests.Hosting;

/// <summary>The app's metrics on a meter factory of their own, for classes built without the composition root.</summary>
public static class TestMetrics
{
    public static QwenMetrics Create() =>
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());
}
