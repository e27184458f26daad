using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using QwenFunctions.Telemetry;
using QwenFunctions.Tests.Hosting;

namespace QwenFunctions.Tests.Telemetry;

/// <summary>The OpenTelemetry SDK runs only when a destination is configured, and then with the app's meter and spans.</summary>
public sealed class TelemetryExportTests
{
    [Fact]
    public void AddQwen_NoDestination_RunsNoOpenTelemetrySdk()
    {
        using var services = TestServices.Build(new Dictionary<string, string?>());

        Assert.Null(services.GetService<MeterProvider>());
        Assert.Null(services.GetService<TracerProvider>());
    }

    [Theory]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING", "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9")]
    public void AddQwen_DestinationConfigured_BuildsMeterAndTracerProviders(string setting, string value)
    {
        using var services = TestServices.Build(new Dictionary<string, string?> { [setting] = value });

        Assert.NotNull(services.GetService<MeterProvider>());
        Assert.NotNull(services.GetService<TracerProvider>());
    }

    [Fact]
    public void AadCredential_InfraAuthenticationString_UsesTheManagedIdentity()
    {
        Assert.IsType<ManagedIdentityCredential>(TelemetryExport.AadCredential("ClientId=11111111-2222-3333-4444-555555555555;Authorization=AAD"));
        Assert.IsType<ManagedIdentityCredential>(TelemetryExport.AadCredential("Authorization=AAD"));
        Assert.Null(TelemetryExport.AadCredential(null));
        Assert.Null(TelemetryExport.AadCredential("Authorization=Key"));
    }
}
