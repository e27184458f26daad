using System.Reflection;
using QwenFunctions.Http;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Http;

/// <summary>Routes live in one table: a trigger with a route of its own could drift from the gate, the status URLs and the document.</summary>
public sealed class RoutesTests
{
    [Fact]
    public void HttpTriggers_EveryRoute_IsARoutesConstant()
    {
        var declared = typeof(Routes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);

        var strays = HttpFunction.Discover(typeof(ServiceCollectionExtensions).Assembly)
            .Where(f => !declared.Contains(f.Route))
            .Select(f => $"{f.Name} ({f.Route})")
            .ToList();

        Assert.True(strays.Count == 0, "Trigger routes not taken from Routes: " + string.Join(", ", strays));
    }

    [Fact]
    public void PathOf_RouteWithId_FillsTheIdUnderThePrefix()
    {
        Assert.Equal("/api/v1/videos/vid_1", Routes.PathOf(Routes.VideoV1, "vid_1"));
        Assert.Equal("/api/health", Routes.PathOf(Routes.Health));
    }
}
